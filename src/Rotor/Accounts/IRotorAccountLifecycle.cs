using Rotor.Contracts;
using Rotor.Http;
using Rotor.Sessions;

namespace Rotor.Accounts;

/// <summary>Email verification, password reset and change, username change and availability, over Identity's user store.</summary>
internal interface IRotorAccountLifecycle
{
    Task<AvailabilityResponse> CheckAvailabilityAsync(string? userName, string? email, CancellationToken cancellationToken);

    /// <summary>
    /// Checks a verification code for an address its account is confirming, within the address's budget of wrong
    /// codes; on success the address is verified, and the user returned with whether to sign them in.
    /// </summary>
    Task<RotorOutcome<EmailVerified>> VerifyEmailAsync(string email, string code, ClientInfo client, CancellationToken cancellationToken);

    /// <summary>Queues a new verification code for the address, mailed only if its account is confirming it.</summary>
    void RequestVerificationCode(string email);

    /// <summary>Queues a reset link for the address, if it belongs to an account.</summary>
    void RequestPasswordReset(string email);

    /// <summary>
    /// Whether a reset link still works, without spending it: the same codes as <see cref="ResetPasswordAsync"/>
    /// gives for the link (<c>reset_token_invalid</c>, <c>reset_token_used</c>, <c>reset_token_expired</c>).
    /// </summary>
    Task<RotorOutcome<RotorUserInfo>> CheckResetTokenAsync(string token, CancellationToken cancellationToken);

    Task<RotorOutcome<RotorUserInfo>> ResetPasswordAsync(string token, string newPassword, ClientInfo client, CancellationToken cancellationToken);

    Task<RotorOutcome<RotorUserInfo>> ChangePasswordAsync(string userId, Guid? sessionId, string currentPassword, string newPassword, ClientInfo client, CancellationToken cancellationToken);

    Task<RotorOutcome<RotorUserInfo>> ChangeUserNameAsync(string userId, Guid? sessionId, string userName, ClientInfo client, CancellationToken cancellationToken);
}

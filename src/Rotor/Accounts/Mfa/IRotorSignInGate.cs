using Rotor.Http;
using Rotor.Sessions;

namespace Rotor.Accounts.Mfa;

/// <summary>
/// What stands between a proven first factor (the password, or an emailed code) and a session: Identity's
/// confirmation rules and, for users with two-step sign-in, the second step.
/// </summary>
internal interface IRotorSignInGate
{
    /// <summary>
    /// Null when a session may start now; otherwise the refusal: <c>account_not_confirmed</c>, or <c>mfa_required</c>
    /// carrying a new <c>challenge</c> bound to the user and <paramref name="mode"/>.
    /// </summary>
    Task<RotorError?> CheckAsync(RotorUserInfo user, string mode, ClientInfo client, CancellationToken cancellationToken);

    /// <summary>The second step: spends the challenge when the authenticator or recovery code is right.</summary>
    Task<RotorOutcome<MfaSignIn>> CompleteAsync(string challenge, string? code, string? recoveryCode, ClientInfo client, CancellationToken cancellationToken);
}

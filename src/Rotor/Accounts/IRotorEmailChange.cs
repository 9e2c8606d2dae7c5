using Rotor.Http;
using Rotor.Sessions;

namespace Rotor.Accounts;

/// <summary>A signed-in user's change of email address (<c>POST /users/me/email</c>).</summary>
internal interface IRotorEmailChange
{
    /// <summary>
    /// Sets the new address, unverified, and mails it a verification code; codes and reset links sent to the old
    /// address stop working, and the user's other sessions end.
    /// </summary>
    Task<RotorOutcome<RotorUserInfo>> ChangeEmailAsync(string userId, Guid? sessionId, string? email, ClientInfo client, CancellationToken cancellationToken);
}

using Rotor.Http;
using Rotor.Sessions;
using Rotor.Tokens;

namespace Rotor.Accounts;

/// <summary>Renewed proof of identity inside a session (<c>POST /auth/reauthenticate</c>), for actions that need a recent one.</summary>
internal interface IRotorReauthentication
{
    /// <summary>
    /// Checks the password the way sign-in does (lockout included) and, with two-step sign-in on, an authenticator
    /// code; then records the proof on the session and returns an access token whose <c>auth_time</c> is now, bound to
    /// <paramref name="dpopJkt"/> when the session is (the thumbprint the request's own access token was proved with).
    /// </summary>
    Task<RotorOutcome<(RotorUserInfo User, IssuedAccessToken Token)>> ReauthenticateAsync(
        string userId, Guid sessionId, string password, string? code, ClientInfo client, CancellationToken cancellationToken, string? dpopJkt = null);
}

using System.Security.Claims;

namespace Rotor.Security;

/// <summary>Reads Rotor's claims from an authenticated principal.</summary>
public static class RotorClaims
{
    /// <summary>The user id (<c>sub</c>), or null when the principal is not a Rotor one.</summary>
    public static string? GetUserId(this ClaimsPrincipal principal) =>
        principal?.FindFirst(RotorAuthenticationDefaults.UserIdClaim)?.Value;

    /// <summary>The session id (<c>sid</c>), or null when the principal is not a Rotor one.</summary>
    public static Guid? GetSessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal?.FindFirst(RotorAuthenticationDefaults.SessionIdClaim)?.Value, out var id) ? id : null;
}

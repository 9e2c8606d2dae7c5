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

    /// <summary>When the user last proved who they are in this session (<c>auth_time</c>), or null when the token does not say.</summary>
    public static DateTimeOffset? GetAuthenticationTime(this ClaimsPrincipal principal) =>
        long.TryParse(principal?.FindFirst(RotorAuthenticationDefaults.AuthTimeClaim)?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>The thumbprint of the DPoP key the request's access token is bound to (and proved with), or null for a bearer token.</summary>
    public static string? GetDpopThumbprint(this ClaimsPrincipal principal) =>
        principal?.FindFirst(RotorAuthenticationDefaults.DpopThumbprintClaim)?.Value;
}

namespace Rotor.Security;

/// <summary>Names Rotor registers with ASP.NET Core authentication and authorization.</summary>
public static class RotorAuthenticationDefaults
{
    /// <summary>The bearer authentication scheme that validates Rotor's access tokens: <c>Rotor</c>.</summary>
    public const string AuthenticationScheme = "Rotor";

    /// <summary>The authorization policy that requires a valid Rotor access token: <c>Rotor</c>.</summary>
    public const string AuthorizationPolicy = "Rotor";

    /// <summary>
    /// Rotor's admin authorization policy: a valid Rotor access token whose user holds the Identity role
    /// <c>Rotor:Admin:Role</c> (checked live on each request): <c>RotorAdmin</c>.
    /// </summary>
    public const string AdminPolicy = "RotorAdmin";

    /// <summary>The CORS policy of Rotor's endpoints (origins from <c>Rotor:AllowedOrigins</c>): <c>Rotor</c>.</summary>
    public const string CorsPolicy = "Rotor";

    /// <summary>The claim holding the session id.</summary>
    public const string SessionIdClaim = "sid";

    /// <summary>The claim holding the user id.</summary>
    public const string UserIdClaim = "sub";

    /// <summary>The claim holding when the user last proved who they are in this session (epoch seconds): <c>auth_time</c>.</summary>
    public const string AuthTimeClaim = "auth_time";

    /// <summary>
    /// The claim holding the RFC 7638 thumbprint of the DPoP key the access token is bound to (its <c>cnf.jkt</c>), present
    /// only for bound tokens, which the <c>Rotor</c> scheme accepts only with a proof from that key: <c>cnf_jkt</c>.
    /// </summary>
    public const string DpopThumbprintClaim = "cnf_jkt";

    /// <summary>The <c>Authorization</c> scheme of DPoP-bound access tokens (RFC 9449 §7.1): <c>DPoP</c>.</summary>
    public const string DpopScheme = "DPoP";
}

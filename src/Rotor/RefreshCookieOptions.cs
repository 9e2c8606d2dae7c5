namespace Rotor;

/// <summary>
/// The HttpOnly cookie that carries a browser session's refresh token. It is scoped to Rotor's
/// <c>/auth</c> path so that it travels only with the refresh and logout requests, never with API calls.
/// </summary>
public sealed class RefreshCookieOptions
{
    /// <summary>The cookie name. Default: <c>rotor_refresh</c>.</summary>
    public string Name { get; set; } = "rotor_refresh";

    /// <summary>
    /// Whether the cookie is marked Secure (sent over HTTPS only). Default: true. Turn it off only for
    /// plain-http local development; browsers treat http://localhost as secure, .NET's CookieContainer does not.
    /// </summary>
    public bool Secure { get; set; } = true;

    /// <summary>The cookie path. Default: <c>/auth</c>, the prefix Rotor's token endpoints are mapped under.</summary>
    public string Path { get; set; } = "/auth";
}

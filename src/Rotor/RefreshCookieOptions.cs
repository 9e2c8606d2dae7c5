namespace Rotor;

/// <summary>
/// The HttpOnly cookie that carries a browser session's refresh token. By default it is a <c>__Host-</c> cookie
/// (Secure, <c>Path=/</c>, no Domain): a browser accepts that name only from this exact host, so a sibling
/// subdomain cannot plant or overwrite it (cookie tossing), and the server reads no other name.
/// </summary>
public sealed class RefreshCookieOptions
{
    /// <summary>The name the cookie gets when <see cref="Name"/> is not set and the cookie is Secure.</summary>
    public const string DefaultName = "__Host-rotor_refresh";

    private const string HostPrefix = "__Host-";

    /// <summary>
    /// The cookie name. Default (unset): <c>__Host-rotor_refresh</c>, or <c>rotor_refresh</c> when
    /// <see cref="Secure"/> is off, since browsers refuse a <c>__Host-</c> cookie that is not Secure.
    /// A <c>__Host-</c> name needs <see cref="Secure"/> on and <see cref="Path"/> <c>/</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Whether the cookie is marked Secure (sent over HTTPS only). Default: true. Turn it off only for
    /// plain-http local development; browsers treat http://localhost as secure, .NET's CookieContainer does not.
    /// </summary>
    public bool Secure { get; set; } = true;

    /// <summary>The cookie path. Default: <c>/</c>, which a <c>__Host-</c> cookie requires.</summary>
    public string Path { get; set; } = "/";

    /// <summary>The name the server writes and the only one it reads.</summary>
    internal string EffectiveName => Name ?? (Secure ? DefaultName : DefaultName[HostPrefix.Length..]);

    internal static bool HasHostPrefix(string name) => name.StartsWith(HostPrefix, StringComparison.Ordinal);
}

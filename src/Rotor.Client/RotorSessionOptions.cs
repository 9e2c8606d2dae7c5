namespace Rotor.Client;

/// <summary>
/// Settings of a <see cref="RotorSession"/>. They are read once, when the session is created, and checked then:
/// a wrong value throws <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> saying what to fix.
/// </summary>
public sealed class RotorSessionOptions
{
    /// <summary>
    /// The Rotor server's base address, for example <c>https://auth.example.com/</c>; the session calls
    /// <c>auth/login</c>, <c>auth/login/mfa</c>, <c>auth/refresh</c>, <c>auth/reauthenticate</c>, <c>auth/logout</c> and
    /// <c>auth/logout-all</c> under it, never following a redirect. Required; no default.
    /// </summary>
    public Uri? ServerAddress { get; set; }

    /// <summary>Where the refresh token travels. Default: <see cref="RotorSessionMode.Native"/>.</summary>
    public RotorSessionMode Mode { get; set; } = RotorSessionMode.Native;

    /// <summary>
    /// Refresh before sending when the access token expires within this margin. Default: 30 seconds; between zero and
    /// one hour. When a token lives less than twice the margin, the session refreshes at half its lifetime instead, so a
    /// short-lived token never causes a refresh on every request.
    /// </summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After a refresh fails for a reason other than a 401 (5xx, 429, timeout, no connection), requests do not try
    /// another refresh for this long, or for the server's <c>Retry-After</c> when that is longer (up to
    /// <see cref="MaxRefreshBackoff"/>). Default: 2 seconds; between zero and <see cref="MaxRefreshBackoff"/>.
    /// </summary>
    public TimeSpan RefreshBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest back-off a server's <c>Retry-After</c> can impose. Default: 5 minutes; at most one hour.</summary>
    public TimeSpan MaxRefreshBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one refresh request may take before it counts as failed. Default: 30 seconds; between 1 second and 5 minutes.</summary>
    public TimeSpan RefreshTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Requests whose path ends with one of these (compared case-insensitively) get no access token, and a 401 from
    /// them is returned as it is, never causing a refresh. Entries start with <c>/</c>. Default: <c>/auth/login</c>,
    /// <c>/auth/login/mfa</c>, <c>/auth/register</c>, <c>/auth/refresh</c>, <c>/auth/verify-otp</c>, <c>/auth/resend-otp</c>, <c>/auth/forgot-password</c>, <c>/auth/reset-password</c>.
    /// </summary>
    public IList<string> ExcludedPaths { get; } = ["/auth/login", "/auth/login/mfa", "/auth/register", "/auth/refresh", "/auth/verify-otp", "/auth/resend-otp", "/auth/forgot-password", "/auth/reset-password"];

    /// <summary>
    /// Origins (scheme, host and port) besides <see cref="ServerAddress"/>'s that are given the access token, such as
    /// an API on another host that accepts Rotor's tokens. Requests to any other origin are sent untouched, so the
    /// token never leaks to a third party. Default: none.
    /// </summary>
    public IList<Uri> TrustedOrigins { get; } = [];

    /// <summary>
    /// A request body that cannot be sent twice as it is (a stream) is buffered before the first send, up to this many
    /// bytes, so the request can be retried after a refresh. A body of unknown or larger length is not buffered, and
    /// such a request is not retried: its 401 still renews the tokens for the next request, and goes back to the
    /// caller. Byte-array, string, form, memory and JSON content is replayable as it is. Default: 1 MiB; zero or more.
    /// </summary>
    public long MaxBufferedContentLength { get; set; } = 1024 * 1024;

    /// <summary>
    /// Binds each new session to a key only this session holds (DPoP, RFC 9449), so a copied refresh or access token is
    /// useless without it. At every sign-in the session makes a fresh P-256 key and sends a proof signed with it; when
    /// the server binds the session (<c>tokenType</c> <c>DPoP</c>), every refresh carries a proof, and requests that get
    /// the access token (<see cref="ServerAddress"/>'s origin and <see cref="TrustedOrigins"/>, never any other) carry
    /// <c>Authorization: DPoP</c> with a proof for that request. Server nonces (<c>use_dpop_nonce</c>) are answered with
    /// one retry. The key is kept with the tokens in the <see cref="TokenStore"/>. Needs <see cref="RotorSessionMode.Native"/>.
    /// Default: <c>false</c>, bearer tokens.
    /// </summary>
    public bool UseDpop { get; set; }

    /// <summary>Where the tokens are kept. Default: <c>null</c>, a new <see cref="RotorMemoryTokenStore"/> per session.</summary>
    public IRotorTokenStore? TokenStore { get; set; }
}

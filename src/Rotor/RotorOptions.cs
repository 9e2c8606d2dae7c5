namespace Rotor;

/// <summary>
/// Settings for Rotor, bound from the <c>Rotor</c> configuration section (environment variables use
/// <c>Rotor__Name</c>, for example <c>Rotor__AccessTokenLifetime=00:00:05</c>).
/// </summary>
public sealed class RotorOptions
{
    /// <summary>The configuration section Rotor binds: <c>Rotor</c>.</summary>
    public const string SectionName = "Rotor";

    /// <summary>How long an access token is valid. Default: 15 minutes. Must be between 1 second and 1 hour.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Idle lifetime of a refresh token: a session that is not refreshed for this long ends. Each rotation
    /// renews it, never beyond <see cref="SessionLifetime"/>. Default: 7 days.
    /// </summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Absolute lifetime of a session from sign-in; rotation never extends it. Default: 30 days.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long after a rotation the refresh token just replaced is still accepted (it answers with the
    /// session's current token), so that two tabs refreshing at once or a lost response do not sign the user
    /// out. Default: 10 seconds. Zero turns grace off.
    /// </summary>
    public TimeSpan RotationGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock skew tolerated when validating access tokens. Default: 30 seconds; at most 5 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>iss</c> of issued access tokens, matched exactly on validation. Default: <c>rotor</c>.</summary>
    public string Issuer { get; set; } = "rotor";

    /// <summary>The <c>aud</c> of issued access tokens, matched exactly on validation. Default: <c>rotor-api</c>.</summary>
    public string Audience { get; set; } = "rotor-api";

    /// <summary>
    /// Folder holding the signing keys and the refresh-token key, created on first start with owner-only
    /// permissions. Keep it out of the database and share it between instances. Default: <c>data/keys</c>.
    /// </summary>
    public string KeyDirectory { get; set; } = Path.Combine("data", "keys");

    /// <summary>
    /// Origins (scheme://host[:port]) other than the server's own that may call Rotor from a browser with
    /// credentials (CORS) and send cookie-borne requests (CSRF check). Default: none. <c>null</c> and <c>*</c>
    /// are refused.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>The refresh-token cookie used by browser sessions.</summary>
    public RefreshCookieOptions RefreshCookie { get; } = new();

    /// <summary>How often expired and revoked sessions are purged. Default: 1 hour.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a revoked session is kept before it is purged, so a late replay still reads as
    /// <c>session_revoked</c>. Default: 1 day.
    /// </summary>
    public TimeSpan RevokedSessionRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long security events are kept. Default: 90 days.</summary>
    public TimeSpan SecurityEventRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How often this instance reads sessions revoked by other instances, so their access tokens stop working
    /// here too. Revocations made by this instance take effect at once. Default: 5 seconds.
    /// </summary>
    public TimeSpan RevocationPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest request body Rotor's endpoints read, in bytes. Default: 16384.</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>How many validated access tokens are cached so that a repeat skips signature checks. Default: 100000; 0 turns the cache off.</summary>
    public int AccessTokenCacheSize { get; set; } = 100_000;

    /// <summary>
    /// Whether a new account must verify its email address with the emailed 6-digit code before it can sign in
    /// (sign-in answers 403 <c>email_not_verified</c> until then). Default: false.
    /// </summary>
    public bool RequireEmailVerification { get; set; }

    /// <summary>
    /// The origin (scheme://host[:port]) of the site users open, used to build the links in mail, such as
    /// <c>{PublicOrigin}/reset-password?token=...</c>. Never taken from a request's Host header. Default: <c>http://localhost:5080</c>.
    /// </summary>
    public string PublicOrigin { get; set; } = "http://localhost:5080";

    /// <summary>How long a password-reset link works. Default: 1 hour; between 5 minutes and 1 day.</summary>
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How recent the last password (or two-step) proof of a session must be for sensitive actions: signing out
    /// everywhere, revoking another session, changing the email address, managing two-step sign-in. Older proofs
    /// answer 403 <c>reauthentication_required</c>; <c>POST /auth/reauthenticate</c> renews it. Default: 5 minutes;
    /// between 10 seconds and 1 day.
    /// </summary>
    public TimeSpan ReauthenticationWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How mail (verification codes, reset links) is sent: a pickup directory by default, or SMTP.</summary>
    public Email.RotorEmailOptions Email { get; } = new();

    /// <summary>Rate limits of sign-in, registration, availability, verification codes and forgotten passwords.</summary>
    public RateLimiting.RotorRateLimitOptions RateLimits { get; } = new();

    /// <summary>Where the signing, refresh-token and account-secret keys live, and how often they rotate.</summary>
    public Tokens.RotorKeyOptions Keys { get; } = new();

    /// <summary>Which proxies' X-Forwarded-For and X-Forwarded-Proto are believed (none by default).</summary>
    public RotorForwardedHeadersOptions ForwardedHeaders { get; } = new();

    /// <summary>How failed passwords lock out the address they come from, and slow down an account guessed from many.</summary>
    public Accounts.RotorLockoutOptions Lockout { get; } = new();

    /// <summary>Whether and how long the instance runs its hot paths before <c>/healthz/ready</c> says it takes traffic.</summary>
    public RotorWarmupOptions Warmup { get; } = new();

    /// <summary>DPoP (RFC 9449): sessions bound to a key the client holds, and the proofs that show it.</summary>
    public Dpop.RotorDpopOptions Dpop { get; } = new();
    /// <summary>Who may use the operator endpoints under <c>/admin</c> (mapped by <c>MapRotorAdmin()</c>).</summary>
    public Admin.RotorAdminOptions Admin { get; } = new();
}

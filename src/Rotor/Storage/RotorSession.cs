namespace Rotor.Storage;

/// <summary>
/// One sign-in on one device: a family of refresh tokens. Tokens are not stored; a token names its session and
/// generation and is authenticated with a key that is not in the database, so the row says which generation
/// is current and nothing that could be replayed.
/// </summary>
public sealed class RotorSession
{
    /// <summary>The session id (also the <c>sid</c> claim of its access tokens).</summary>
    public Guid Id { get; set; }

    /// <summary>The ASP.NET Core Identity user id.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The generation of the current refresh token; each rotation adds one.</summary>
    public long Generation { get; set; }

    /// <summary>When the session started (sign-in).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a refresh token of the session was last used.</summary>
    public DateTimeOffset LastUsedAt { get; set; }

    /// <summary>When the current generation replaced the previous one; null before the first rotation.</summary>
    public DateTimeOffset? RotatedAt { get; set; }

    /// <summary>Absolute end of the session; rotation never moves it.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Idle end: renewed by each rotation, never beyond <see cref="ExpiresAt"/>.</summary>
    public DateTimeOffset IdleExpiresAt { get; set; }

    /// <summary>When the session was revoked, or null while it is live.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Why the session was revoked (see <see cref="Sessions.RevocationReasons"/>).</summary>
    public string? RevocationReason { get; set; }

    /// <summary>How the refresh token travels: <c>browser</c> (cookie) or <c>native</c> (body).</summary>
    public string Mode { get; set; } = "browser";

    /// <summary>The User-Agent of the sign-in request, truncated.</summary>
    public string? UserAgent { get; set; }

    /// <summary>The client address of the sign-in request.</summary>
    public string? IpAddress { get; set; }

    /// <summary>
    /// The user's Identity security stamp when the session began (or was last confirmed by Rotor itself). When
    /// the app's own Identity code changes the stamp, the session ends at its next refresh or revocation poll.
    /// </summary>
    public string? SecurityStamp { get; set; }

    /// <summary>When the user last proved who they are in this session (sign-in or re-authentication): the <c>auth_time</c> claim.</summary>
    public DateTimeOffset? AuthenticatedAt { get; set; }

    /// <summary>
    /// The RFC 7638 thumbprint of the DPoP key the session is bound to (RFC 9449), or null for a session that is not:
    /// every refresh of a bound session needs a proof from that key, and its access tokens carry it as <c>cnf.jkt</c>.
    /// </summary>
    public string? DpopJkt { get; set; }
}

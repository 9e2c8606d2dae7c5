namespace Rotor.Storage;

/// <summary>
/// Requests counted by one rate-limit policy for one key (a client address or an account) in the current fixed
/// window, shared by every instance on the database. The window restarts in place once it has ended, so each
/// (policy, key) has at most one row; rows whose window ended are purged.
/// </summary>
public sealed class RotorRateLimitCount
{
    /// <summary>The policy and what it counts, for example <c>rotor-Login:address</c>.</summary>
    public string Policy { get; set; } = "";

    /// <summary>A SHA-256 of the counted key (the address or account is not stored), base64url.</summary>
    public string Key { get; set; } = "";

    /// <summary>Requests counted in the window, refused ones included.</summary>
    public int Hits { get; set; }

    /// <summary>When the window began: the key's first request after the previous window ended.</summary>
    public DateTimeOffset WindowStart { get; set; }

    /// <summary>When the window ends and the row may be deleted.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

namespace Rotor.Storage;

/// <summary>
/// One line of the revocation log: written by the database itself (a trigger that provider packages install on
/// <c>rotor_sessions</c>) whenever a session's <see cref="RotorSession.RevokedAt"/> goes from null to a value, whatever
/// statement did it. Instances that missed a revocation notice read the log by <see cref="Sequence"/> to catch up.
/// </summary>
public sealed class RotorRevocation
{
    /// <summary>The log position: increasing in the order the revocations were written (not necessarily committed).</summary>
    public long Sequence { get; set; }

    /// <summary>The revoked session.</summary>
    public Guid SessionId { get; set; }

    /// <summary>The session's <see cref="RotorSession.RevokedAt"/>.</summary>
    public DateTimeOffset RevokedAt { get; set; }
}

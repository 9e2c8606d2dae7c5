namespace Rotor.Storage;

/// <summary>
/// Rotor's persistence: sessions and the security log. Token rules live above it, in
/// <see cref="Sessions.SessionService"/>; an implementation only has to make <see cref="TryRotateAsync"/>
/// an atomic compare-and-swap and every other write transactional.
/// </summary>
internal interface IRotorStore
{
    /// <summary>Inserts a session and its sign-in event, records the user's last sign-in, and revokes the session it replaces, in one transaction.</summary>
    Task CreateSessionAsync(RotorSession session, RotorSecurityEvent signIn, Guid? replaces, CancellationToken cancellationToken);

    /// <summary>
    /// Advances the session from <paramref name="generation"/> to the next one if, and only if, it is live and
    /// still at that generation, in one statement; null when it was not.
    /// </summary>
    Task<RotationResult?> TryRotateAsync(Guid sessionId, long generation, DateTimeOffset now, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken);

    Task<SessionSnapshot?> FindAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>Revokes one live session (of <paramref name="userId"/> when given) and logs the event; false when there was none.</summary>
    Task<bool> RevokeAsync(Guid sessionId, string? userId, string reason, RotorSecurityEvent evt, CancellationToken cancellationToken);

    /// <summary>Revokes every live session of a user but <paramref name="except"/>, logs the event, and returns the ids revoked.</summary>
    Task<IReadOnlyList<Guid>> RevokeAllAsync(string userId, Guid? except, string reason, RotorSecurityEvent evt, CancellationToken cancellationToken);

    Task<IReadOnlyList<RotorSession>> ListActiveAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken);

    Task AddEventAsync(RotorSecurityEvent evt, CancellationToken cancellationToken);

    Task<IReadOnlyList<RotorSecurityEvent>> ListEventsAsync(string userId, long? before, int take, CancellationToken cancellationToken);

    Task<IReadOnlyList<(Guid SessionId, DateTimeOffset RevokedAt)>> RevokedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes sessions that expired or were revoked before <paramref name="endedBefore"/>, and events older than <paramref name="eventsBefore"/>.</summary>
    Task<int> PurgeAsync(DateTimeOffset endedBefore, DateTimeOffset eventsBefore, CancellationToken cancellationToken);

    /// <summary>A cheap read for readiness probes: no transaction, no write lock.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

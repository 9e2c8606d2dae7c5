namespace Rotor.Storage;

/// <summary>
/// Rotor's persistence: sessions and the security log. Token rules live above it, in
/// <see cref="Sessions.SessionService"/>; an implementation only has to make <see cref="RotateAsync"/>
/// an atomic compare-and-swap and every other write transactional.
/// </summary>
internal interface IRotorStore
{
    /// <summary>Inserts a session and its sign-in event, records the user's last sign-in, and revokes the session it replaces, in one transaction.</summary>
    Task CreateSessionAsync(RotorSession session, RotorSecurityEvent signIn, Guid? replaces, CancellationToken cancellationToken);

    /// <summary>
    /// Decides what a presented refresh token gets, and rotates the session when it was current, in one
    /// compare-and-swap statement (and, when that did not apply, one read that says why). The whole refresh rule
    /// is this call's: the caller only acts on the answer.
    /// </summary>
    Task<RotationOutcome> RotateAsync(RotationRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes one live session (only if it is <paramref name="userId"/>'s, when given) and logs the event under the
    /// session's owner; returns the owner, or null when there was no such live session.
    /// </summary>
    Task<string?> RevokeAsync(Guid sessionId, string? userId, string reason, RotorSecurityEvent evt, CancellationToken cancellationToken);

    /// <summary>Records the user's current security stamp on one of their live sessions, or on all of them when <paramref name="sessionId"/> is null.</summary>
    Task RestampAsync(string userId, Guid? sessionId, CancellationToken cancellationToken);

    /// <summary>Sets the <c>auth_time</c> of a live session of <paramref name="userId"/> to <paramref name="now"/>; false when there is no such session.</summary>
    Task<bool> MarkAuthenticatedAsync(Guid sessionId, string userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes live sessions whose user was deleted, locked by the app or re-stamped, logging an event like
    /// <paramref name="template"/> for each: every session of the users recorded in <see cref="RotorAccountChange"/> (when the
    /// context records them), and those among the next page of sessions in id order after <paramref name="sweepAfter"/>.
    /// Returns the sessions ended and the last id of that page (null when there were no sessions after it: start again).
    /// </summary>
    Task<(IReadOnlyList<(Guid SessionId, string UserId)> Ended, Guid? SweepNext)> RevokeInvalidatedAsync(
        DateTimeOffset now, RotorSecurityEvent template, Guid sweepAfter, CancellationToken cancellationToken);

    /// <summary>Revokes every live session of a user but <paramref name="except"/>, logs the event, and returns the ids revoked.</summary>
    Task<IReadOnlyList<Guid>> RevokeAllAsync(string userId, Guid? except, string reason, RotorSecurityEvent evt, CancellationToken cancellationToken);

    Task<IReadOnlyList<RotorSession>> ListActiveAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken);

    Task AddEventAsync(RotorSecurityEvent evt, CancellationToken cancellationToken);

    Task<IReadOnlyList<RotorSecurityEvent>> ListEventsAsync(string userId, long? before, int take, CancellationToken cancellationToken);

    Task<IReadOnlyList<(Guid SessionId, DateTimeOffset RevokedAt)>> RevokedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The last position of the revocation log (<see cref="RotorRevocation.Sequence"/>), or 0 when it is empty.</summary>
    Task<long> LastRevocationSequenceAsync(CancellationToken cancellationToken);

    /// <summary>The revocation log after <paramref name="sequence"/>, in log order.</summary>
    Task<IReadOnlyList<RotorRevocation>> RevocationsAfterAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes sessions that expired or were revoked before <paramref name="endedBefore"/>, revocation-log lines older
    /// than <paramref name="revocationsBefore"/> and events older than <paramref name="eventsBefore"/>.
    /// </summary>
    Task<int> PurgeAsync(DateTimeOffset endedBefore, DateTimeOffset revocationsBefore, DateTimeOffset eventsBefore, CancellationToken cancellationToken);

    /// <summary>A cheap read for readiness probes: no transaction, no write lock.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

namespace Rotor.Dpop;

/// <summary>
/// Remembers the proofs already accepted (by key and <c>jti</c>) for as long as they could still be accepted, so a
/// proof is accepted once across every instance that shares the cache.
/// </summary>
internal interface IDpopReplayCache
{
    /// <summary>Records <paramref name="key"/> until <paramref name="expiresAt"/>; false when it was already recorded (a replay).</summary>
    ValueTask<bool> TryAddAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Forgets entries that expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

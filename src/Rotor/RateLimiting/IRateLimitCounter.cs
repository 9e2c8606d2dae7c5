namespace Rotor.RateLimiting;

/// <summary>Counts requests in fixed windows, per policy and key, and says when one is over its limit.</summary>
internal interface IRateLimitCounter
{
    /// <summary>
    /// Counts one request under (<paramref name="policy"/>, <paramref name="key"/>) in a window of
    /// <paramref name="window"/> that starts at the key's first request; null when it is within
    /// <paramref name="permits"/>, else how long until the window ends.
    /// </summary>
    ValueTask<TimeSpan?> HitAsync(string policy, string key, int permits, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Deletes counts whose window has ended; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

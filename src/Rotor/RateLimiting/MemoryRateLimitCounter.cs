using System.Threading.RateLimiting;

namespace Rotor.RateLimiting;

/// <summary>
/// <see cref="IRateLimitCounter"/> in this process (<see cref="RotorRateLimitStore.Memory"/>): .NET's fixed-window
/// limiters, partitioned by policy and key, held by the singleton <see cref="Partitions"/>. Each instance counts alone.
/// </summary>
internal sealed class MemoryRateLimitCounter(MemoryRateLimitCounter.Partitions partitions) : IRateLimitCounter
{
    public ValueTask<TimeSpan?> HitAsync(string policy, string key, int permits, TimeSpan window, CancellationToken cancellationToken)
    {
        using var lease = partitions.Limiter.AttemptAcquire((policy + "\n" + key, permits, window));
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult<TimeSpan?>(null);
        }

        return ValueTask.FromResult<TimeSpan?>(lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window);
    }

    // The partitioned limiter drops idle partitions itself.
    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);

    /// <summary>The process's counts; a singleton, so the scoped counters that use it do not dispose it.</summary>
    internal sealed class Partitions : IDisposable
    {
        public PartitionedRateLimiter<(string Key, int Permits, TimeSpan Window)> Limiter { get; } =
            PartitionedRateLimiter.Create<(string Key, int Permits, TimeSpan Window), string>(request =>
                RateLimitPartition.GetFixedWindowLimiter(request.Key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = request.Permits,
                    Window = request.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));

        public void Dispose() => Limiter.Dispose();
    }
}

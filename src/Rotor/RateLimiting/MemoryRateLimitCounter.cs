using System.Threading.RateLimiting;

namespace Rotor.RateLimiting;

/// <summary>
/// <see cref="IRateLimitCounter"/> in this process (<see cref="RotorRateLimitStore.Memory"/>): .NET's fixed-window
/// limiters, partitioned by policy and key. Each instance counts alone.
/// </summary>
internal sealed class MemoryRateLimitCounter : IRateLimitCounter, IDisposable
{
    private readonly PartitionedRateLimiter<(string Key, int Permits, TimeSpan Window)> _limiter =
        PartitionedRateLimiter.Create<(string Key, int Permits, TimeSpan Window), string>(request =>
            RateLimitPartition.GetFixedWindowLimiter(request.Key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = request.Permits,
                Window = request.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    public ValueTask<TimeSpan?> HitAsync(string policy, string key, int permits, TimeSpan window, CancellationToken cancellationToken)
    {
        using var lease = _limiter.AttemptAcquire((policy + "\n" + key, permits, window));
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult<TimeSpan?>(null);
        }

        return ValueTask.FromResult<TimeSpan?>(lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window);
    }

    // The partitioned limiter drops idle partitions itself.
    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);

    public void Dispose() => _limiter.Dispose();
}

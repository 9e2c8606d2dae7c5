using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Rotor.RateLimiting;

/// <summary>
/// The per-account half of Rotor's rate limits: requests that name one account or email address, counted
/// whatever address they come from (the per-address half is ASP.NET Core's rate-limiter middleware).
/// </summary>
internal sealed class AccountRateLimiter : IDisposable
{
    private readonly RotorRateLimitOptions _options;
    private readonly Dictionary<string, RotorRateLimit> _limits;
    private readonly PartitionedRateLimiter<string> _limiter;

    public AccountRateLimiter(IOptions<RotorOptions> options)
    {
        _options = options.Value.RateLimits;
        _limits = _options.All().ToDictionary(l => "rotor-" + l.Name, l => l.Limit, StringComparer.Ordinal);
        _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        {
            var limit = _limits[key[..key.IndexOf('\n', StringComparison.Ordinal)]];
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => RotorRateLimiting.Window(limit.PerAccount, limit.Window));
        });
    }

    /// <summary>Counts one request of <paramref name="policy"/> naming <paramref name="account"/>; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(string policy, string account)
    {
        if (!_options.Enabled || !_limits.TryGetValue(policy, out var limit) || limit.PerAccount <= 0)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(policy + "\n" + account);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limit.Window;
    }

    public void Dispose() => _limiter.Dispose();
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Rotor.RateLimiting;

/// <summary>
/// Rotor's rate limits: per client address (IPv6 by /64) and per account or email address, each counted by the
/// configured <see cref="IRateLimitCounter"/> (the database by default, so the whole fleet shares one count).
/// </summary>
internal sealed class RotorRateLimiter(IRateLimitCounter counter, IOptions<RotorOptions> options)
{
    private readonly RotorRateLimitOptions _options = options.Value.RateLimits;

    /// <summary>Counts one request of <paramref name="policy"/> from the client's address; null when allowed, else how long to wait.</summary>
    public ValueTask<TimeSpan?> AddressAsync(string policy, HttpContext context) =>
        Limit(policy) is { PerAddress: > 0 } limit
            ? counter.HitAsync(policy + ":address", RotorRateLimiting.ClientKey(context), limit.PerAddress, limit.Window, context.RequestAborted)
            : ValueTask.FromResult<TimeSpan?>(null);

    /// <summary>Counts one request of <paramref name="policy"/> naming <paramref name="account"/>; null when allowed, else how long to wait.</summary>
    public ValueTask<TimeSpan?> AccountAsync(string policy, string account, CancellationToken cancellationToken) =>
        Limit(policy) is { PerAccount: > 0 } limit
            ? counter.HitAsync(policy + ":account", account, limit.PerAccount, limit.Window, cancellationToken)
            : ValueTask.FromResult<TimeSpan?>(null);

    private RotorRateLimit? Limit(string policy)
    {
        if (!_options.Enabled)
        {
            return null;
        }

        foreach (var (name, limit) in _options.All())
        {
            if (policy.Length == RotorRateLimiting.Prefix.Length + name.Length && policy.EndsWith(name, StringComparison.Ordinal))
            {
                return limit;
            }
        }

        return null;
    }
}

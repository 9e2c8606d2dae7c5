using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Rotor.Accounts;

/// <summary>
/// Counts failed sign-ins for names that match no account and "locks" them exactly as Identity would lock a
/// real one, so that the lockout answer cannot be used to tell which names exist.
/// </summary>
internal sealed class UnknownAccountLockout(IOptions<IdentityOptions> identity, TimeProvider time)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public TimeSpan? LockedFor(string normalizedLogin)
    {
        var now = time.GetUtcNow();
        return _entries.TryGetValue(normalizedLogin, out var entry) && entry.LockedUntil is { } until && until > now ? until - now : null;
    }

    /// <summary>Records a failure; returns how long the name is now locked for, if it is.</summary>
    public TimeSpan? Fail(string normalizedLogin)
    {
        var lockout = identity.Value.Lockout;
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        var entry = _entries.AddOrUpdate(
            normalizedLogin,
            _ => new Entry(1, null),
            (_, e) => e.LockedUntil is { } until && until <= now ? new Entry(1, null) : e with { Failures = e.Failures + 1 });
        if (entry.Failures >= lockout.MaxFailedAccessAttempts)
        {
            var until = now + lockout.DefaultLockoutTimeSpan;
            _entries[normalizedLogin] = new Entry(0, until);
            return lockout.DefaultLockoutTimeSpan;
        }

        return null;
    }

    private sealed record Entry(int Failures, DateTimeOffset? LockedUntil);
}

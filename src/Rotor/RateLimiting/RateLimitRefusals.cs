using System.Collections.Concurrent;

namespace Rotor.RateLimiting;

/// <summary>
/// Keys this instance has seen refused, until their window ends. A fixed window never reopens early, so while it
/// lasts the answer is known without asking the database: a flood from one address or at one account costs one
/// write per instance, not one per request, and does not queue on that key's row lock.
/// </summary>
internal sealed class RateLimitRefusals
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="key"/> of <paramref name="policy"/> is still refused; null when not known to be.</summary>
    public TimeSpan? Refused(string policy, string key, DateTimeOffset now)
    {
        if (_until.TryGetValue(policy + "\n" + key, out var until))
        {
            if (until > now)
            {
                return until - now;
            }

            _until.TryRemove(new KeyValuePair<string, DateTimeOffset>(policy + "\n" + key, until));
        }

        return null;
    }

    public void Add(string policy, string key, DateTimeOffset until, DateTimeOffset now)
    {
        if (_until.Count >= MaxEntries)
        {
            foreach (var (k, end) in _until)
            {
                if (end <= now)
                {
                    _until.TryRemove(k, out _);
                }
            }

            // Still full of live refusals: forget them rather than grow; the database still has every count.
            if (_until.Count >= MaxEntries)
            {
                _until.Clear();
            }
        }

        _until[policy + "\n" + key] = until;
    }
}

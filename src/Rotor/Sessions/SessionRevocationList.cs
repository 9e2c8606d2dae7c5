using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Rotor.Sessions;

/// <summary>
/// Sessions revoked recently enough that their access tokens could still be unexpired. Access tokens are
/// checked against it on every request, so a sign-out takes effect at once on this instance and within
/// <see cref="RotorOptions.RevocationPollInterval"/> on the others.
/// </summary>
internal sealed class SessionRevocationList
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _revoked = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _keep;

    public SessionRevocationList(TimeProvider time, IOptions<RotorOptions> options)
    {
        _time = time;
        _keep = options.Value.AccessTokenLifetime + options.Value.ClockSkew;
    }

    public bool IsRevoked(Guid sessionId) => !_revoked.IsEmpty && _revoked.ContainsKey(sessionId);

    public void Add(Guid sessionId, DateTimeOffset revokedAt) => _revoked[sessionId] = revokedAt + _keep;

    /// <summary>Forgets entries whose access tokens have all expired.</summary>
    public void Prune()
    {
        var now = _time.GetUtcNow();
        foreach (var entry in _revoked)
        {
            if (entry.Value <= now)
            {
                _revoked.TryRemove(entry.Key, out _);
            }
        }
    }

    /// <summary>How far back a poll must look so no revocation whose tokens still live is missed.</summary>
    public TimeSpan Window => _keep;
}

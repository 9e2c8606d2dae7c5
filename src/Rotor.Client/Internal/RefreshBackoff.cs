using System.Net;

namespace Rotor.Client.Internal;

/// <summary>
/// The wait after a failed refresh (5xx, 429, timeout, no connection): no new refresh until it is over, so a struggling
/// server is not hammered by every request. Not thread-safe: <see cref="SessionRefresher"/> uses it under its lock.
/// </summary>
internal sealed class RefreshBackoff(TimeSpan backoff, TimeSpan maxBackoff)
{
    private DateTimeOffset _until;
    private RotorRefreshFailedException? _lastFailure;

    /// <summary>Whether a refresh failed and its wait is not over at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => _lastFailure is not null && now < _until;

    /// <summary>The failure to give a caller that asks for a refresh during the wait.</summary>
    public RotorRefreshFailedException? FailureDuringWait(DateTimeOffset now) => IsActive(now)
        ? new RotorRefreshFailedException(
            "The Rotor session's last refresh failed moments ago and it is waiting before the next; the session is kept.",
            _lastFailure!.InnerException, _lastFailure.StatusCode, _lastFailure.RetryAfter)
        : null;

    /// <summary>Starts a wait: <c>backoff</c>, or the server's <c>Retry-After</c> when longer, up to <c>maxBackoff</c>.</summary>
    /// <returns>The failure to give the refresh's waiters, and when the wait ends.</returns>
    public (RotorRefreshFailedException Failure, DateTimeOffset RetryAt) Start(DateTimeOffset now, HttpStatusCode? status, TimeSpan? retryAfter, Exception? cause)
    {
        var wait = retryAfter is { } asked ? (asked > backoff ? (asked < maxBackoff ? asked : maxBackoff) : backoff) : backoff;
        var message = status is { } s
            ? $"The Rotor server answered the refresh with {(int)s}; the session is kept and will try again."
            : "The Rotor server could not be reached for a refresh; the session is kept and will try again.";
        _lastFailure = new RotorRefreshFailedException(message, cause, status, retryAfter);
        _until = now + wait;
        return (_lastFailure, _until);
    }

    /// <summary>Ends any wait: a refresh or a login succeeded.</summary>
    public void Reset()
    {
        _lastFailure = null;
        _until = default;
    }
}

using System.Net;

namespace Rotor.Client;

/// <summary>
/// Thrown to a request that needed a new access token when the refresh failed for a reason that does not end the
/// session: the server answered 5xx, 503 or 429, the refresh timed out, or the server could not be reached. The
/// tokens are kept and the user stays signed in; the session tries again on a later request after a short back-off.
/// </summary>
public sealed class RotorRefreshFailedException : HttpRequestException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RotorRefreshFailedException()
        : this("The Rotor session could not refresh its access token; the session is kept and will try again.")
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="message">The message.</param>
    public RotorRefreshFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message of your own and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RotorRefreshFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a refresh the server answered with <paramref name="statusCode"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    /// <param name="statusCode">The server's status, or <c>null</c> when there was no answer.</param>
    /// <param name="retryAfter">How long the server asked to wait, when it said so.</param>
    public RotorRefreshFailedException(string message, Exception? innerException, HttpStatusCode? statusCode, TimeSpan? retryAfter)
        : base(message, innerException, statusCode)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the server asked to wait before the next refresh (its <c>Retry-After</c>), when it said so.</summary>
    public TimeSpan? RetryAfter { get; }
}

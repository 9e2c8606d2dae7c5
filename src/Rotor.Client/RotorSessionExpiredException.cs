namespace Rotor.Client;

/// <summary>
/// Thrown to a request that needed a new access token when the server refused the refresh with 401: the session
/// is over, the tokens are cleared and <see cref="RotorSession.SessionExpired"/> has been raised. Sign in again.
/// It is an <see cref="HttpRequestException"/>, so code that already handles failed requests handles it too.
/// </summary>
public sealed class RotorSessionExpiredException : HttpRequestException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RotorSessionExpiredException()
        : this("session_expired")
    {
    }

    /// <summary>Creates the exception for the server's <paramref name="reason"/> code.</summary>
    /// <param name="reason">The server's code, such as <c>session_revoked</c>.</param>
    public RotorSessionExpiredException(string reason)
        : base($"The Rotor session has ended ({reason}); sign in again.", null, System.Net.HttpStatusCode.Unauthorized)
    {
        Reason = reason;
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RotorSessionExpiredException(string message, Exception? innerException)
        : base(message, innerException, System.Net.HttpStatusCode.Unauthorized)
    {
        Reason = "session_expired";
    }

    /// <summary>The server's code for why the session ended, such as <c>session_revoked</c> or <c>refresh_token_reused</c>.</summary>
    public string Reason { get; }
}

using System.Net;

namespace Rotor.Client;

/// <summary>
/// The outcome of <see cref="RotorSession.LoginAsync"/>. A refusal by the server (wrong credentials, lockout, an
/// unavailable server) is a value, not an exception; only a failure to reach the server throws.
/// </summary>
public sealed class RotorLoginResult
{
    private RotorLoginResult(bool succeeded, HttpStatusCode statusCode, RotorUser? user, string? errorCode, string? detail, TimeSpan? retryAfter)
    {
        Succeeded = succeeded;
        StatusCode = statusCode;
        User = user;
        ErrorCode = errorCode;
        Detail = detail;
        RetryAfter = retryAfter;
    }

    /// <summary>Whether the user is now signed in.</summary>
    public bool Succeeded { get; }

    /// <summary>The HTTP status the server answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The signed-in user when <see cref="Succeeded"/>.</summary>
    public RotorUser? User { get; }

    /// <summary>
    /// The server's stable error code when the login failed, such as <c>invalid_credentials</c> or <c>locked_out</c>;
    /// <c>http_&lt;status&gt;</c> when the answer carried none.
    /// </summary>
    public string? ErrorCode { get; }

    /// <summary>The server's sentence about the failure, suitable to show a person.</summary>
    public string? Detail { get; }

    /// <summary>How long the server asked to wait before trying again, when it said so.</summary>
    public TimeSpan? RetryAfter { get; }

    internal static RotorLoginResult Success(HttpStatusCode status, RotorUser user) => new(true, status, user, null, null, null);

    internal static RotorLoginResult Failure(HttpStatusCode status, string errorCode, string? detail, TimeSpan? retryAfter) =>
        new(false, status, null, errorCode, detail, retryAfter);
}

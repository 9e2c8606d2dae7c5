using System.Net;
using Microsoft.Extensions.Logging;

namespace Rotor.Client.Internal;

/// <summary>The session's log messages. None of them carries a token, a password or a cookie.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Signed in to Rotor as user {UserId} (session {SessionId}).")]
    public static partial void SignedIn(ILogger logger, string userId, string sessionId);

    [LoggerMessage(2, LogLevel.Information, "Rotor login refused: {StatusCode} {Code}.")]
    public static partial void LoginRefused(ILogger logger, int statusCode, string code);

    [LoggerMessage(3, LogLevel.Debug, "Refreshing the Rotor access token of session {SessionId}.")]
    public static partial void Refreshing(ILogger logger, string sessionId);

    [LoggerMessage(4, LogLevel.Debug, "Refreshed the Rotor access token of session {SessionId}; it expires at {ExpiresAt:O} (client clock).")]
    public static partial void Refreshed(ILogger logger, string sessionId, DateTimeOffset expiresAt);

    [LoggerMessage(5, LogLevel.Warning, "Rotor session {SessionId} ended: the server refused the refresh ({Reason}).")]
    public static partial void SessionEnded(ILogger logger, string sessionId, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Refreshing Rotor session {SessionId} failed (status {StatusCode}); the session is kept and refresh waits until {RetryAt:O}.")]
    public static partial void RefreshFailed(ILogger logger, Exception? exception, string sessionId, int? statusCode, DateTimeOffset retryAt);

    [LoggerMessage(7, LogLevel.Error, "The Rotor token store failed to {Operation}; the session goes on in memory.")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string operation);

    [LoggerMessage(8, LogLevel.Error, "A SessionExpired handler threw.")]
    public static partial void SessionExpiredHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Debug, "The body of {Method} request cannot be replayed (unknown or too large length), so it will not be retried after a refresh.")]
    public static partial void NotReplayable(ILogger logger, HttpMethod method);

    [LoggerMessage(10, LogLevel.Information, "Signed out of Rotor session {SessionId}; server answered {StatusCode}.")]
    public static partial void SignedOut(ILogger logger, string sessionId, HttpStatusCode statusCode);

    [LoggerMessage(11, LogLevel.Warning, "Could not tell the Rotor server about the sign-out of session {SessionId}; the tokens are forgotten here.")]
    public static partial void SignOutNotDelivered(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(12, LogLevel.Debug, "Proactive refresh failed; the access token is still valid until {ExpiresAt:O}, so the request goes out with it.")]
    public static partial void UsingTokenAfterFailedRefresh(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(13, LogLevel.Information, "Rotor login needs a second factor ({Methods}); waiting for CompleteMfaAsync.")]
    public static partial void MfaRequired(ILogger logger, string methods);

    [LoggerMessage(14, LogLevel.Information, "Rotor reauthentication refused: {StatusCode} {Code}.")]
    public static partial void ReauthenticationRefused(ILogger logger, int statusCode, string code);

    [LoggerMessage(15, LogLevel.Information, "Reauthenticated Rotor session {SessionId}; the new access token expires at {ExpiresAt:O} (client clock).")]
    public static partial void Reauthenticated(ILogger logger, string sessionId, DateTimeOffset expiresAt);

    [LoggerMessage(16, LogLevel.Warning, "The Rotor server answered {Path} with a redirect ({StatusCode}); the session does not follow redirects on its own calls, so the call failed.")]
    public static partial void RedirectRefused(ILogger logger, string path, int statusCode);

    [LoggerMessage(17, LogLevel.Error, "The answer to {Path} came from another origin: a handler the session could not configure followed a redirect. The answer was ignored.")]
    public static partial void RedirectFollowed(ILogger logger, string path);

    [LoggerMessage(18, LogLevel.Debug, "The server asked for a new DPoP nonce on {Path}; sending the request once more with it.")]
    public static partial void DpopNonceRetry(ILogger logger, string path);

    [LoggerMessage(19, LogLevel.Warning, "UseDpop is on but the Rotor server did not bind session {SessionId} (tokenType {TokenType}); it goes on as a bearer session.")]
    public static partial void DpopNotBound(ILogger logger, string sessionId, string tokenType);
}

using Microsoft.Extensions.Logging;

namespace Rotor.Diagnostics;

/// <summary>Rotor's log messages. None carries a token or a password.</summary>
internal static partial class RotorLog
{
    [LoggerMessage(1, LogLevel.Information, "User {UserId} signed in; session {SessionId} ({Mode}).")]
    public static partial void SignedIn(ILogger logger, string userId, Guid sessionId, string mode);

    [LoggerMessage(2, LogLevel.Information, "A sign-in failed{Known}.")]
    public static partial void SignInFailed(ILogger logger, string known);

    [LoggerMessage(3, LogLevel.Warning, "User {UserId} is locked out until {LockoutEnd}.")]
    public static partial void LockedOut(ILogger logger, string userId, DateTimeOffset lockoutEnd);

    [LoggerMessage(4, LogLevel.Warning, "Refresh-token reuse on session {SessionId} of user {UserId} (generation {Presented}, current {Current}); the session is revoked.")]
    public static partial void ReuseDetected(ILogger logger, Guid sessionId, string userId, long presented, long current);

    [LoggerMessage(5, LogLevel.Debug, "Refresh refused: {Code}.")]
    public static partial void RefreshRefused(ILogger logger, string code);

    [LoggerMessage(6, LogLevel.Information, "Session {SessionId} revoked ({Reason}).")]
    public static partial void SessionRevoked(ILogger logger, Guid sessionId, string reason);

    [LoggerMessage(7, LogLevel.Error, "The database is unavailable; answered 503.")]
    public static partial void DatabaseUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Error, "Unhandled error in a Rotor endpoint; answered 500.")]
    public static partial void UnhandledError(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Purged {Count} ended sessions and old security events.")]
    public static partial void Purged(ILogger logger, int count);

    [LoggerMessage(10, LogLevel.Warning, "Session maintenance failed; it will run again.")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Debug, "Access token refused: {Reason}")]
    public static partial void AccessTokenRefused(ILogger logger, string reason);

    [LoggerMessage(12, LogLevel.Warning, "Refresh of DPoP-bound session {SessionId} refused: {WhichProof}; nothing changed.")]
    private static partial void DpopMismatch(ILogger logger, Guid sessionId, string whichProof);

    public static void DpopMismatch(ILogger logger, Guid sessionId, bool hadProof) =>
        DpopMismatch(logger, sessionId, hadProof ? "a proof from another key" : "no valid proof");

    [LoggerMessage(13, LogLevel.Debug, "DPoP proof refused: {Reason}")]
    public static partial void DpopProofRefused(ILogger logger, string reason);
}

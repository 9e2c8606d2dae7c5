using Microsoft.Extensions.Logging;

namespace Rotor.Accounts.Mfa;

/// <summary>Log messages of two-step sign-in and recent authentication. None carries a code, a challenge or a password.</summary>
internal static partial class MfaLog
{
    [LoggerMessage(141, LogLevel.Information, "User {UserId} passed the password step; a second step is required.")]
    public static partial void ChallengeIssued(ILogger logger, string userId);

    [LoggerMessage(142, LogLevel.Information, "A two-step sign-in was refused: {Code}.")]
    public static partial void SecondStepRefused(ILogger logger, string code);

    [LoggerMessage(143, LogLevel.Information, "User {UserId} turned two-step sign-in on; {Revoked} other sessions revoked.")]
    public static partial void Enabled(ILogger logger, string userId, int revoked);

    [LoggerMessage(144, LogLevel.Information, "User {UserId} turned two-step sign-in off.")]
    public static partial void Disabled(ILogger logger, string userId);

    [LoggerMessage(145, LogLevel.Information, "User {UserId} made new recovery codes.")]
    public static partial void RecoveryCodesRegenerated(ILogger logger, string userId);

    [LoggerMessage(146, LogLevel.Information, "User {UserId} signed in with a recovery code; {Left} left.")]
    public static partial void RecoveryCodeUsed(ILogger logger, string userId, int left);

    [LoggerMessage(147, LogLevel.Information, "User {UserId} re-authenticated in session {SessionId}.")]
    public static partial void Reauthenticated(ILogger logger, string userId, Guid sessionId);

    [LoggerMessage(148, LogLevel.Information, "User {UserId} changed the email address; {Revoked} other sessions revoked.")]
    public static partial void EmailChanged(ILogger logger, string userId, int revoked);

    [LoggerMessage(149, LogLevel.Information, "User {UserId} was refused sign-in: the account is not confirmed.")]
    public static partial void NotConfirmed(ILogger logger, string userId);
}

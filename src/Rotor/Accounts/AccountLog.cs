using Microsoft.Extensions.Logging;

namespace Rotor.Accounts;

/// <summary>Log messages of the account lifecycle. None carries a code, a token or a password.</summary>
internal static partial class AccountLog
{
    [LoggerMessage(121, LogLevel.Information, "User {UserId} verified the email address.")]
    public static partial void EmailVerified(ILogger logger, string userId);

    [LoggerMessage(122, LogLevel.Information, "User {UserId} reset the password; {Revoked} sessions revoked.")]
    public static partial void PasswordReset(ILogger logger, string userId, int revoked);

    [LoggerMessage(123, LogLevel.Information, "User {UserId} changed the password; {Revoked} other sessions revoked.")]
    public static partial void PasswordChanged(ILogger logger, string userId, int revoked);

    [LoggerMessage(124, LogLevel.Information, "User {UserId} changed the username.")]
    public static partial void UserNameChanged(ILogger logger, string userId);

    [LoggerMessage(125, LogLevel.Information, "A verification code was refused: {Code}.")]
    public static partial void CodeRefused(ILogger logger, string code);

    [LoggerMessage(126, LogLevel.Information, "A password reset was refused: {Code}.")]
    public static partial void ResetRefused(ILogger logger, string code);
}

using Microsoft.Extensions.Logging;

namespace Rotor.Email;

/// <summary>Log messages of the mail queue. None carries a code, a token, a link or a password.</summary>
internal static partial class EmailLog
{
    [LoggerMessage(101, LogLevel.Warning, "The mail queue is full; a {Kind} mail was dropped.")]
    public static partial void Dropped(ILogger logger, string kind);

    [LoggerMessage(102, LogLevel.Warning, "A {Kind} mail failed on attempt {Attempt} of {MaxAttempts}; retrying in {Delay}.")]
    public static partial void Retrying(ILogger logger, Exception exception, string kind, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(103, LogLevel.Error, "A {Kind} mail was given up after {MaxAttempts} attempts.")]
    public static partial void GaveUp(ILogger logger, Exception exception, string kind, int maxAttempts);

    [LoggerMessage(104, LogLevel.Information, "A {Kind} mail was sent.")]
    public static partial void Sent(ILogger logger, string kind);

    [LoggerMessage(105, LogLevel.Debug, "A {Kind} mail was not needed (no such account, or nothing to do).")]
    public static partial void NotNeeded(ILogger logger, string kind);
}

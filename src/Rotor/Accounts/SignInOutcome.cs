using Rotor.Sessions;

namespace Rotor.Accounts;

/// <summary>A password check's outcome: the user, or an error code (with how long a lockout lasts).</summary>
internal readonly record struct SignInOutcome(RotorUserInfo? User, string? ErrorCode, TimeSpan? RetryAfter)
{
    public static SignInOutcome Success(RotorUserInfo user) => new(user, null, null);

    public static SignInOutcome Failure(string code, TimeSpan? retryAfter = null) => new(null, code, retryAfter);
}

using Rotor.Sessions;

namespace Rotor.Accounts;

/// <summary>A registration's outcome: the new user, or an error code with per-field errors.</summary>
internal readonly record struct RegisterOutcome(RotorUserInfo? User, string? ErrorCode, IDictionary<string, string[]>? Errors)
{
    public static RegisterOutcome Success(RotorUserInfo user) => new(user, null, null);

    public static RegisterOutcome Failure(string code, IDictionary<string, string[]>? errors = null) => new(null, code, errors);
}

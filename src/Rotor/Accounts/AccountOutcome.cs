using Rotor.Sessions;

namespace Rotor.Accounts;

/// <summary>An account operation's outcome: the user on success, or a problem's status, code, detail and field errors.</summary>
internal readonly record struct AccountOutcome(RotorUserInfo? User, int Status, string? Code, string? Detail, IDictionary<string, string[]>? Errors, TimeSpan? RetryAfter)
{
    public bool Succeeded => Code is null;

    public static AccountOutcome Success(RotorUserInfo? user = null) => new(user, 200, null, null, null, null);

    public static AccountOutcome Failure(int status, string code, string detail, IDictionary<string, string[]>? errors = null, TimeSpan? retryAfter = null) =>
        new(null, status, code, detail, errors, retryAfter);

    public static AccountOutcome Invalid(string field, string message) =>
        Failure(400, Http.RotorErrorCodes.ValidationFailed, "Some fields need attention; see errors.", new Dictionary<string, string[]> { [field] = [message] });
}

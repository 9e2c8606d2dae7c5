using System.Text.Json.Serialization;

namespace Rotor.Contracts;

/// <summary>A user as the admin endpoints show them.</summary>
/// <param name="Id">The user id.</param>
/// <param name="UserName">The username.</param>
/// <param name="Email">The email address.</param>
/// <param name="EmailConfirmed">Whether the address was verified.</param>
/// <param name="LockedUntil">Until when the account is locked by the app (Identity's lockout); null when it is not.</param>
/// <param name="LastLoginAt">When the user last signed in, if ever.</param>
/// <param name="TwoFactorEnabled">Whether two-step sign-in is on.</param>
public sealed record AdminUserResponse(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? UserName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Email,
    bool EmailConfirmed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? LockedUntil,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? LastLoginAt,
    bool TwoFactorEnabled);

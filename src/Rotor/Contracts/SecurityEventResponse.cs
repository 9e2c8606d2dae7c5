using System.Text.Json.Serialization;

namespace Rotor.Contracts;

/// <summary>One entry of the caller's security log.</summary>
/// <param name="Id">The event id; pass it as <c>before</c> to read older events.</param>
/// <param name="Type">What happened, such as <c>login_succeeded</c>, <c>login_failed</c>, <c>password_changed</c>.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="IpAddress">The client address of the request that caused it.</param>
/// <param name="UserAgent">The User-Agent of that request.</param>
/// <param name="Detail">A short detail, such as a revocation reason.</param>
/// <param name="SessionId">The session it concerns, if any.</param>
/// <param name="ActorId">The admin who did it, on the admin endpoints' view of the log only (omitted elsewhere).</param>
public sealed record SecurityEventResponse(
    long Id,
    string Type,
    DateTimeOffset OccurredAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? IpAddress,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? UserAgent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] Guid? SessionId,
    string? ActorId = null);

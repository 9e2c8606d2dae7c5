using System.Text.Json.Serialization;

namespace Rotor.Contracts;

/// <summary>The answer of <c>GET /auth/events</c>: a page of the caller's security log, newest first.</summary>
/// <param name="Items">The events.</param>
/// <param name="Next">The <c>before</c> value that reads the next (older) page; null on the last page.</param>
/// <param name="HasMore">Whether older events exist.</param>
public sealed record SecurityEventPage(
    IReadOnlyList<SecurityEventResponse> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Next,
    bool HasMore);

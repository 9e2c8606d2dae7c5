using System.Text.Json.Serialization;

namespace Rotor.Contracts;

/// <summary>One live session of a user, as <c>GET /admin/users/{id}/sessions</c> lists it.</summary>
/// <param name="Id">The session id.</param>
/// <param name="CreatedAt">When the session began (its sign-in).</param>
/// <param name="LastUsedAt">When it was last refreshed.</param>
/// <param name="ExpiresAt">When it ends unless refreshed (idle expiry, or its absolute end if sooner).</param>
/// <param name="AuthenticatedAt">When the user last proved who they are in it.</param>
/// <param name="Mode">How its refresh token travels: <c>browser</c> (cookie) or <c>native</c> (body).</param>
/// <param name="UserAgent">The device: the User-Agent of its sign-in.</param>
/// <param name="IpAddress">The address it signed in from.</param>
public sealed record AdminSessionResponse(
    Guid Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUsedAt,
    DateTimeOffset ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? AuthenticatedAt,
    string Mode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? UserAgent,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? IpAddress);

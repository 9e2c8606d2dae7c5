using System.Text.Json.Serialization;

namespace Rotor.Contracts;

/// <summary>The answer of <c>GET /users/me</c>: the user, or null without a token.</summary>
public sealed record MeResponse([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] UserResponse? User);

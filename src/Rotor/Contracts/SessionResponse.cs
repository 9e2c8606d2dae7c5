namespace Rotor.Contracts;

/// <summary>One of the caller's active sessions, as listed by <c>GET /auth/sessions</c>.</summary>
public sealed record SessionResponse(
    Guid Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUsedAt,
    DateTimeOffset ExpiresAt,
    string? UserAgent,
    string? IpAddress,
    bool Current);

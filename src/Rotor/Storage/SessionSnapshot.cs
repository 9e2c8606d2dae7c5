namespace Rotor.Storage;

/// <summary>A session row with its user's display fields, as read for a refresh decision.</summary>
internal sealed record SessionSnapshot(
    Guid Id,
    string UserId,
    long Generation,
    DateTimeOffset ExpiresAt,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset? RotatedAt,
    DateTimeOffset? RevokedAt,
    string? RevocationReason,
    string? UserName,
    string? Email);

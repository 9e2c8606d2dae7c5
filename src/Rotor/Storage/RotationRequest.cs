namespace Rotor.Storage;

/// <summary>
/// A refresh token presented for rotation, with the times the rule needs: <paramref name="Now"/> (the store's
/// clock), the idle expiry a rotation renews to, and the oldest rotation time still inside the grace period.
/// </summary>
internal readonly record struct RotationRequest(
    Guid SessionId,
    long Generation,
    string Mode,
    DateTimeOffset Now,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset GraceSince);

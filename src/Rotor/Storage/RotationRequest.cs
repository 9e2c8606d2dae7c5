namespace Rotor.Storage;

/// <summary>
/// A refresh token presented for rotation, with the times the rule needs: <paramref name="Now"/> (the store's
/// clock), the idle expiry a rotation renews to, the oldest rotation time still inside the grace period, and the
/// thumbprint of the key of the valid DPoP proof that came with it (null without one), which a bound session's must equal.
/// </summary>
internal readonly record struct RotationRequest(
    Guid SessionId,
    long Generation,
    string Mode,
    DateTimeOffset Now,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset GraceSince,
    string? DpopJkt = null);

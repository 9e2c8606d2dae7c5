namespace Rotor.Storage;

/// <summary>What a successful compare-and-swap rotation returns in the same statement.</summary>
internal sealed record RotationResult(string UserId, long Generation, DateTimeOffset ExpiresAt, DateTimeOffset IdleExpiresAt, string? UserName, string? Email);

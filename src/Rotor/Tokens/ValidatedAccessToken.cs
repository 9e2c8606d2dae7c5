namespace Rotor.Tokens;

/// <summary>What a valid access token says: its user, session and expiry.</summary>
internal sealed record ValidatedAccessToken(string UserId, Guid SessionId, string? Name, string? Email, DateTimeOffset ExpiresAt);

namespace Rotor.Tokens;

/// <summary>What a valid access token says: its user, session, expiry, and when the user last proved who they are.</summary>
internal sealed record ValidatedAccessToken(string UserId, Guid SessionId, string? Name, string? Email, DateTimeOffset ExpiresAt, DateTimeOffset? AuthenticatedAt = null);

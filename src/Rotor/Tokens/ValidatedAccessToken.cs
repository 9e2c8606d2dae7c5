namespace Rotor.Tokens;

/// <summary>
/// What a valid access token says: its user, session, expiry, when the user last proved who they are, and the DPoP key
/// it is bound to (<c>cnf.jkt</c>), if any.
/// </summary>
internal sealed record ValidatedAccessToken(string UserId, Guid SessionId, string? Name, string? Email, DateTimeOffset ExpiresAt, DateTimeOffset? AuthenticatedAt = null, string? DpopJkt = null);

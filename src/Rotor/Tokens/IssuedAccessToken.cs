namespace Rotor.Tokens;

/// <summary>An access token and the moment it stops being valid.</summary>
internal readonly record struct IssuedAccessToken(string Token, DateTimeOffset ExpiresAt);

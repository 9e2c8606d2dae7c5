namespace Rotor.Sessions;

/// <summary>A fresh access token and the session's current refresh token.</summary>
internal sealed record SessionTokens(
    string AccessToken,
    DateTimeOffset AccessTokenExpiresAt,
    string RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    Guid SessionId,
    RotorUserInfo User);

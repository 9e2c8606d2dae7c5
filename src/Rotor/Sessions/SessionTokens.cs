namespace Rotor.Sessions;

/// <summary>A fresh access token and the session's current refresh token; <c>DpopJkt</c> when the session is bound to a DPoP key.</summary>
internal sealed record SessionTokens(
    string AccessToken,
    DateTimeOffset AccessTokenExpiresAt,
    string RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    Guid SessionId,
    RotorUserInfo User,
    string? DpopJkt = null)
{
    /// <summary>The OAuth token type: <c>DPoP</c> for a session bound to a key (RFC 9449 §5), else <c>Bearer</c>.</summary>
    public string TokenType => DpopJkt is null ? "Bearer" : "DPoP";
}

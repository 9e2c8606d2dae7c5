using System.Text.Json.Serialization;

namespace Rotor.Contracts;

/// <summary>The answer of <c>POST /oauth/token</c> (RFC 6749 §5.1).</summary>
/// <param name="AccessToken">The JWT access token.</param>
/// <param name="TokenType">Always <c>Bearer</c>.</param>
/// <param name="ExpiresIn">Seconds until the access token expires, counted from this response.</param>
/// <param name="RefreshToken">The new refresh token: the one presented is spent (within the grace period it answers with this one again).</param>
public sealed record OAuthTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken);

namespace Rotor.Contracts;

/// <summary>The answer of a sign-in or refresh.</summary>
/// <param name="AccessToken">The JWT access token.</param>
/// <param name="TokenType">Always <c>Bearer</c>.</param>
/// <param name="ExpiresIn">Seconds until the access token expires, counted from this response.</param>
/// <param name="ExpiresAt">When the access token expires.</param>
/// <param name="SessionId">The session (device sign-in) the tokens belong to.</param>
/// <param name="User">The signed-in user.</param>
/// <param name="RefreshToken">Native sessions only: the new refresh token. Browser sessions get it in a cookie.</param>
public sealed record TokenResponse(
    string AccessToken,
    string TokenType,
    int ExpiresIn,
    DateTimeOffset ExpiresAt,
    Guid SessionId,
    UserResponse User,
    string? RefreshToken);

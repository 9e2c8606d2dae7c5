namespace Rotor.Client;

/// <summary>
/// What a session keeps between requests: the access token, the refresh token (native mode) and when the access
/// token expires. Times are on the client's clock: the server's <c>expiresIn</c> added to the moment its response
/// arrived, so a client clock that is hours off does not matter.
/// </summary>
public sealed class RotorTokens
{
    /// <summary>The JWT sent as <c>Authorization: Bearer</c>.</summary>
    public required string AccessToken { get; init; }

    /// <summary>The opaque refresh token; <c>null</c> in <see cref="RotorSessionMode.Cookie"/> mode.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>When the server's answer arrived, by the client's clock.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>When the access token expires, by the client's clock: <see cref="ReceivedAt"/> plus <c>expiresIn</c>.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The server's id of this session (one sign-in on one device).</summary>
    public required string SessionId { get; init; }

    /// <summary>The signed-in user.</summary>
    public required RotorUser User { get; init; }

    /// <summary>Describes the session without its secrets, so that logging an instance never leaks a token.</summary>
    public override string ToString() =>
        $"RotorTokens {{ SessionId = {SessionId}, UserId = {User.Id}, ExpiresAt = {ExpiresAt:O}, tokens redacted }}";
}

using Rotor.Client.Internal;

namespace Rotor.Client;

/// <summary>
/// What a session keeps between requests: the access token, the refresh token (native mode) and when the access
/// token expires. Times are on the client's clock: the server's <c>expiresIn</c> added to the moment its response
/// arrived, so a client clock that is hours off does not matter.
/// </summary>
public sealed class RotorTokens
{
    private DpopSigner? _signer;

    /// <summary>The JWT sent as <c>Authorization: Bearer</c> (or <c>Authorization: DPoP</c> when <see cref="TokenType"/> is <c>DPoP</c>).</summary>
    public required string AccessToken { get; init; }

    /// <summary>
    /// The server's <c>tokenType</c> for <see cref="AccessToken"/>: <c>Bearer</c>, or <c>DPoP</c> when the session is bound
    /// to <see cref="DpopKey"/> (<see cref="RotorSessionOptions.UseDpop"/>). Default: <c>Bearer</c>.
    /// </summary>
    public string TokenType { get; init; } = "Bearer";

    /// <summary>
    /// The private key the session is bound to (RFC 9449), as a P-256 JSON Web Key with its private member <c>d</c>;
    /// <c>null</c> for a session that is not bound. Keep it exactly as safe as <see cref="RefreshToken"/>: the two
    /// together are the session, and a refresh token copied without the key is useless.
    /// </summary>
    public string? DpopKey { get; init; }

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

    /// <summary>Whether the access token is sent as <c>DPoP</c> with a proof (the session is bound and the server said so).</summary>
    internal bool IsDpopBound => DpopKey is not null && string.Equals(TokenType, "DPoP", StringComparison.OrdinalIgnoreCase);

    /// <summary>The key that signs this session's proofs, read from <see cref="DpopKey"/> once; <c>null</c> when not bound.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException"><see cref="DpopKey"/> is not a P-256 private key.</exception>
    internal DpopSigner? Signer
    {
        get => _signer ??= DpopKey is null ? null : DpopSigner.Import(DpopKey);
        init => _signer = value;
    }

    /// <summary>Describes the session without its secrets, so that logging an instance never leaks a token.</summary>
    public override string ToString() =>
        $"RotorTokens {{ SessionId = {SessionId}, UserId = {User.Id}, ExpiresAt = {ExpiresAt:O}, tokens redacted }}";
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rotor.Client.Internal;

internal sealed record LoginRequest(string Username, string Password, string? Mode);

internal sealed record RefreshRequest(string? RefreshToken);

internal sealed record MfaLoginRequest(string Challenge, string? Code, string? RecoveryCode);

internal sealed record ReauthenticateRequest(string Password, string? Code);

internal sealed record TokenResponse(
    string? AccessToken,
    string? TokenType,
    double ExpiresIn,
    string? SessionId,
    RotorUser? User,
    string? RefreshToken);

/// <summary>A problem+json answer; <c>challenge</c> and <c>methods</c> come with <c>mfa_required</c>.</summary>
/// <remarks><c>error</c> is the OAuth form of <c>code</c> (RFC 6749 §5.2), read for <c>use_dpop_nonce</c>.</remarks>
internal sealed record ProblemResponse(string? Code, string? Title, string? Detail, string? Challenge = null, string[]? Methods = null, string? Error = null);

/// <summary>
/// The shape a <see cref="RotorFileTokenStore"/> writes before encrypting; versioned so it can change. Version 1 has no
/// DPoP members; version 2 (a bound session) adds the token type and the private key, so a version that cannot use
/// the key reads such a file as no session instead of presenting a bound refresh token without its proof.
/// </summary>
internal sealed record StoredTokens(
    int Version,
    string AccessToken,
    string? RefreshToken,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ExpiresAt,
    string SessionId,
    RotorUser User,
    string? TokenType = null,
    string? DpopKey = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(MfaLoginRequest))]
[JsonSerializable(typeof(ReauthenticateRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(ProblemResponse))]
[JsonSerializable(typeof(StoredTokens))]
internal sealed partial class RotorJsonContext : JsonSerializerContext
{
}

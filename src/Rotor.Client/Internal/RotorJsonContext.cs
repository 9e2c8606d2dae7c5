using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rotor.Client.Internal;

internal sealed record LoginRequest(string Username, string Password, string? Mode);

internal sealed record RefreshRequest(string? RefreshToken);

internal sealed record TokenResponse(
    string? AccessToken,
    string? TokenType,
    double ExpiresIn,
    string? SessionId,
    RotorUser? User,
    string? RefreshToken);

internal sealed record ProblemResponse(string? Code, string? Title, string? Detail);

/// <summary>The shape a <see cref="RotorFileTokenStore"/> writes before encrypting; versioned so it can change.</summary>
internal sealed record StoredTokens(
    int Version,
    string AccessToken,
    string? RefreshToken,
    DateTimeOffset ReceivedAt,
    DateTimeOffset ExpiresAt,
    string SessionId,
    RotorUser User);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(ProblemResponse))]
[JsonSerializable(typeof(StoredTokens))]
internal sealed partial class RotorJsonContext : JsonSerializerContext
{
}

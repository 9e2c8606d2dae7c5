using System.Text.Json.Nodes;

namespace Rotor.Tests.Infrastructure;

public sealed record NativeSession(string Username, string AccessToken, string RefreshToken, Guid SessionId, string UserId)
{
    public static NativeSession From(JsonObject body, string username) => new(
        username,
        (string)body["accessToken"]!,
        (string)body["refreshToken"]!,
        Guid.Parse((string)body["sessionId"]!),
        (string)body["user"]!["id"]!);
}

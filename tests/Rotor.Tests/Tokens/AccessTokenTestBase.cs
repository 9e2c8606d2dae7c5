using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Tokens;
/// <summary>
/// A real host and a client for the access-token tests, plus the tools to build, sign and tamper with tokens the way
/// an attacker holding a copy of one would.
/// </summary>
public abstract class AccessTokenTestBase : IDisposable
{
    protected AccessTokenTestBase() => Client = App.Client();

    protected RotorApp App { get; } = new();

    protected RotorClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        App.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Copies a running host's database (a consistent snapshot, WAL included) and optionally its keys.</summary>
    protected static void CopyHost(RotorApp app, string target, bool withKeys)
    {
        Directory.CreateDirectory(target);
        if (TestDatabase.IsPostgreSql)
        {
            TestDatabase.Copy(app.Directory, target);
        }
        else
        {
            using var source = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
            using var destination = new SqliteConnection($"Data Source={Path.Combine(target, "rotor.db")};Pooling=False");
            source.Open();
            destination.Open();
            source.BackupDatabase(destination);
        }

        if (withKeys)
        {
            var keys = Path.Combine(app.Directory, "keys");
            var targetKeys = Path.Combine(target, "keys");
            Directory.CreateDirectory(targetKeys);
            foreach (var file in Directory.GetFiles(keys))
            {
                File.Copy(file, Path.Combine(targetKeys, Path.GetFileName(file)));
            }
        }
    }

    protected async Task AssertRefusedAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var me = await Client.Http.SendAsync(request);
        await AssertInvalidTokenAsync(me, token);

        var protectedRequest = new HttpRequestMessage(HttpMethod.Get, "/auth/sessions");
        protectedRequest.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var sessions = await Client.Http.SendAsync(protectedRequest);
        Assert.True(sessions.StatusCode == HttpStatusCode.Unauthorized, $"GET /auth/sessions answered {(int)sessions.StatusCode} for {Shorten(token)}");
    }

    protected static async Task AssertInvalidTokenAsync(HttpResponseMessage response, string? token = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"Expected 401, got {(int)response.StatusCode} for {Shorten(token)}: {text}");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    private static string Shorten(string? token) => token is null ? "the token" : token.Length > 80 ? token[..80] + "…" : token;

    protected async Task<JsonObject> SingleJwkAsync()
    {
        using var response = await Client.Http.GetAsync("/.well-known/jwks.json");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return Assert.Single(body["keys"]!.AsArray())!.AsObject();
    }

    protected async Task<string> KidAsync() => (string)(await SingleJwkAsync())["kid"]!;

    protected async Task<JsonObject> HeaderAsync() => new() { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = await KidAsync() };

    /// <summary>The server's private signing key, read from the test host's key folder.</summary>
    protected ECDsa ServerKey()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(App.Directory, "keys", "signing-key.pem")));
        return key;
    }

    protected JsonObject Claims(NativeSession session, Action<JsonObject>? change = null)
    {
        var now = App.Time.GetUtcNow().ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = "rotor",
            ["aud"] = "rotor-api",
            ["sub"] = session.UserId,
            ["sid"] = session.SessionId.ToString("D"),
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 900,
            ["name"] = session.Username,
        };
        change?.Invoke(claims);
        return claims;
    }

    protected static string Encode(JsonNode node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));

    protected static string SignEs256(ECDsa key, JsonObject header, JsonObject claims)
    {
        var input = Encode(header) + "." + Encode(claims);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.EncodeToString(signature);
    }
}

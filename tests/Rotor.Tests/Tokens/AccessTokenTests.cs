using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Tokens;
/// <summary>What a valid access token looks like, what it answers, and that its keys outlive a restart.</summary>
public sealed class AccessTokenTests : AccessTokenTestBase
{
    [Fact]
    public async Task The_header_names_ES256_at_jwt_and_the_published_key()
    {
        var session = await Client.NewNativeSessionAsync();
        var jwk = await SingleJwkAsync();

        var header = RotorClient.DecodeJwtPart(session.AccessToken, 0);

        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal((string)jwk["kid"]!, header.GetProperty("kid").GetString());
        Assert.False(header.TryGetProperty("jku", out _));
        Assert.False(header.TryGetProperty("jwk", out _));
    }

    [Fact]
    public async Task The_claims_name_the_issuer_audience_user_session_and_lifetime()
    {
        var now = App.Time.GetUtcNow().ToUnixTimeSeconds();
        var session = await Client.NewNativeSessionAsync();
        var second = await Client.NativeLoginAsync(session.Username);

        var payload = RotorClient.DecodeJwtPart(session.AccessToken, 1);

        Assert.Equal("rotor", payload.GetProperty("iss").GetString());
        Assert.Equal("rotor-api", payload.GetProperty("aud").GetString());
        Assert.Equal(session.UserId, payload.GetProperty("sub").GetString());
        Assert.Equal(session.SessionId.ToString("D"), payload.GetProperty("sid").GetString());
        Assert.Equal(session.Username, payload.GetProperty("name").GetString());
        var iat = payload.GetProperty("iat").GetInt64();
        Assert.InRange(iat, now, now + 1);
        Assert.Equal(iat, payload.GetProperty("nbf").GetInt64());
        Assert.Equal(iat + 900, payload.GetProperty("exp").GetInt64());

        // jti is unique per token, even for the same user in the same second.
        var jti = payload.GetProperty("jti").GetString();
        Assert.False(string.IsNullOrEmpty(jti));
        Assert.NotEqual(jti, RotorClient.DecodeJwtPart(second.AccessToken, 1).GetProperty("jti").GetString());
    }

    [Fact]
    public async Task The_jwks_publishes_only_public_members()
    {
        using var response = await Client.Http.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var key = Assert.Single(body["keys"]!.AsArray())!.AsObject();
        Assert.Equal("EC", (string?)key["kty"]);
        Assert.Equal("P-256", (string?)key["crv"]);
        Assert.Equal(32, Base64Url.DecodeFromChars((string)key["x"]!).Length);
        Assert.Equal(32, Base64Url.DecodeFromChars((string)key["y"]!).Length);
        Assert.Null(key["d"]);
        string[] publicMembers = ["kty", "crv", "use", "alg", "kid", "x", "y"];
        Assert.All(key.Select(p => p.Key), name => Assert.Contains(name, publicMembers));
    }

    [Fact]
    public async Task The_token_verifies_with_the_published_key()
    {
        var session = await Client.NewNativeSessionAsync();
        var jwk = await SingleJwkAsync();
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars((string)jwk["x"]!), Y = Base64Url.DecodeFromChars((string)jwk["y"]!) },
        });

        var parts = session.AccessToken.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);

        Assert.Equal(64, signature.Length);
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256));

        // The key id is the RFC 7638 thumbprint of that key.
        var thumbprintInput = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{(string)jwk["x"]!}\",\"y\":\"{(string)jwk["y"]!}\"}}";
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(thumbprintInput))), (string)jwk["kid"]!);
    }

    [Fact]
    public async Task Users_me_without_a_header_answers_a_null_user()
    {
        using var response = await Client.SendAsync(HttpMethod.Get, "/users/me", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RotorClient.ReadJsonAsync(response);
        Assert.True(body.ContainsKey("user"));
        Assert.Null(body["user"]);
    }

    [Fact]
    public async Task Users_me_with_a_valid_token_answers_the_user()
    {
        var session = await Client.NewNativeSessionAsync();

        using var response = await Client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = (await RotorClient.ReadJsonAsync(response))["user"]!;
        Assert.Equal(session.UserId, (string?)user["id"]);
        Assert.Equal(session.Username, (string?)user["username"]);
        Assert.Equal(session.Username + "@example.com", (string?)user["email"]);
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_invalid_token_after_the_clock_skew()
    {
        var session = await Client.NewNativeSessionAsync();
        using (var fresh = await Client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // Past exp but inside the 30 s skew: still accepted.
        App.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(29));
        using (var withinSkew = await Client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
        }

        App.Time.Advance(TimeSpan.FromSeconds(2));
        using var expired = await Client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);

        await AssertInvalidTokenAsync(expired);
    }

    [Fact]
    public async Task A_token_built_by_this_test_with_the_servers_key_is_accepted()
    {
        // The control for the attacks below: the hand-built tokens are right in every respect but the one each attack changes.
        var session = await Client.NewNativeSessionAsync();
        using var key = ServerKey();

        var token = SignEs256(key, await HeaderAsync(), Claims(session));

        using var response = await Client.SendAsync(HttpMethod.Get, "/users/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(session.UserId, (string?)(await RotorClient.ReadJsonAsync(response))["user"]!["id"]);
    }


    [Fact]
    public async Task Signing_keys_survive_a_restart_so_tokens_issued_before_it_still_work()
    {
        var secondDirectory = Path.Combine(Path.GetTempPath(), "rotor-tests", Guid.NewGuid().ToString("N"));
        var freshKeysDirectory = Path.Combine(Path.GetTempPath(), "rotor-tests", Guid.NewGuid().ToString("N"));
        NativeSession session;
        using (var first = new RotorApp())
        {
            using var client = first.Client();
            session = await client.NewNativeSessionAsync();
            CopyHost(first, secondDirectory, withKeys: true);
            CopyHost(first, freshKeysDirectory, withKeys: false);
        }

        using (var second = new RotorApp(directory: secondDirectory))
        {
            using var client = second.Client();

            using var me = await client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal(session.UserId, (string?)(await RotorClient.ReadJsonAsync(me))["user"]!["id"]);

            using var refreshed = await client.RefreshNativeAsync(session.RefreshToken);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            Assert.Equal(session.SessionId.ToString(), (string?)(await RotorClient.ReadJsonAsync(refreshed))["sessionId"]);
        }

        // The control: the same database with keys generated afresh accepts neither token, so it was the
        // persisted keys that carried the session across the restart.
        using (var third = new RotorApp(directory: freshKeysDirectory))
        {
            using var client = third.Client();

            using var me = await client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);

            using var refreshed = await client.RefreshNativeAsync(session.RefreshToken);
            await RotorClient.AssertProblemAsync(refreshed, HttpStatusCode.Unauthorized, "refresh_token_invalid");
        }
    }
}

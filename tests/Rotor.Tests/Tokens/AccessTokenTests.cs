using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Tokens;

public sealed class AccessTokenTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public AccessTokenTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task The_header_names_ES256_at_jwt_and_the_published_key()
    {
        var session = await _client.NewNativeSessionAsync();
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
        var now = _app.Time.GetUtcNow().ToUnixTimeSeconds();
        var session = await _client.NewNativeSessionAsync();
        var second = await _client.NativeLoginAsync(session.Username);

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
        using var response = await _client.Http.GetAsync("/.well-known/jwks.json");

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
        var session = await _client.NewNativeSessionAsync();
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
        using var response = await _client.SendAsync(HttpMethod.Get, "/users/me", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RotorClient.ReadJsonAsync(response);
        Assert.True(body.ContainsKey("user"));
        Assert.Null(body["user"]);
    }

    [Fact]
    public async Task Users_me_with_a_valid_token_answers_the_user()
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = (await RotorClient.ReadJsonAsync(response))["user"]!;
        Assert.Equal(session.UserId, (string?)user["id"]);
        Assert.Equal(session.Username, (string?)user["username"]);
        Assert.Equal(session.Username + "@example.com", (string?)user["email"]);
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_invalid_token_after_the_clock_skew()
    {
        var session = await _client.NewNativeSessionAsync();
        using (var fresh = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // Past exp but inside the 30 s skew: still accepted.
        _app.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(29));
        using (var withinSkew = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
        }

        _app.Time.Advance(TimeSpan.FromSeconds(2));
        using var expired = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);

        await AssertInvalidTokenAsync(expired);
    }

    [Fact]
    public async Task A_token_built_by_this_test_with_the_servers_key_is_accepted()
    {
        // The control for the attacks below: the hand-built tokens are right in every respect but the one each attack changes.
        var session = await _client.NewNativeSessionAsync();
        using var key = ServerKey();

        var token = SignEs256(key, await HeaderAsync(), Claims(session));

        using var response = await _client.SendAsync(HttpMethod.Get, "/users/me", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(session.UserId, (string?)(await RotorClient.ReadJsonAsync(response))["user"]!["id"]);
    }

    [Fact]
    public async Task Alg_none_is_refused()
    {
        var session = await _client.NewNativeSessionAsync();
        var kid = await KidAsync();

        foreach (var alg in (string[])["none", "None", "NONE"])
        {
            var header = new JsonObject { ["alg"] = alg, ["typ"] = "at+jwt", ["kid"] = kid };
            var unsigned = Encode(header) + "." + Encode(Claims(session)) + ".";
            await AssertRefusedAsync(unsigned);
            await AssertRefusedAsync(unsigned[..^1]);
        }
    }

    [Fact]
    public async Task HS256_signed_with_the_public_key_is_refused()
    {
        var session = await _client.NewNativeSessionAsync();
        var jwk = await SingleJwkAsync();
        using var publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars((string)jwk["x"]!), Y = Base64Url.DecodeFromChars((string)jwk["y"]!) },
        });

        // Every form an HMAC key confusion could take the public key in.
        byte[][] secrets =
        [
            Encoding.ASCII.GetBytes(publicKey.ExportSubjectPublicKeyInfoPem()),
            publicKey.ExportSubjectPublicKeyInfo(),
            [0x04, .. Base64Url.DecodeFromChars((string)jwk["x"]!), .. Base64Url.DecodeFromChars((string)jwk["y"]!)],
            Encoding.UTF8.GetBytes(jwk.ToJsonString()),
        ];
        foreach (var secret in secrets)
        {
            var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "at+jwt", ["kid"] = (string)jwk["kid"]! };
            var input = Encode(header) + "." + Encode(Claims(session));
            var token = input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
            await AssertRefusedAsync(token);
        }
    }

    [Fact]
    public async Task A_tampered_payload_with_the_original_signature_is_refused()
    {
        var victim = await _client.NewNativeSessionAsync();
        var attacker = await _client.NewNativeSessionAsync();
        var parts = attacker.AccessToken.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["sub"] = victim.UserId;

        var tampered = parts[0] + "." + Encode(payload) + "." + parts[2];

        await AssertRefusedAsync(tampered);

        // The untouched token is still fine: only the change was refused.
        using var original = await _client.SendAsync(HttpMethod.Get, "/users/me", attacker.AccessToken);
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_with_the_same_kid_is_refused()
    {
        var session = await _client.NewNativeSessionAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await AssertRefusedAsync(SignEs256(other, await HeaderAsync(), Claims(session)));
    }

    [Fact]
    public async Task Wrong_audience_or_issuer_is_refused_even_when_signed_by_the_server_key()
    {
        var session = await _client.NewNativeSessionAsync();
        using var key = ServerKey();
        var header = await HeaderAsync();

        await AssertRefusedAsync(SignEs256(key, header, Claims(session, c => c["aud"] = "another-api")));
        await AssertRefusedAsync(SignEs256(key, header, Claims(session, c => c["aud"] = "ROTOR-API")));
        await AssertRefusedAsync(SignEs256(key, header, Claims(session, c => c["aud"] = new JsonArray("another-api"))));
        await AssertRefusedAsync(SignEs256(key, header, Claims(session, c => c.Remove("aud"))));
        await AssertRefusedAsync(SignEs256(key, header, Claims(session, c => c["iss"] = "https://evil.example")));
        await AssertRefusedAsync(SignEs256(key, header, Claims(session, c => c["iss"] = "Rotor")));
        await AssertRefusedAsync(SignEs256(key, header, Claims(session, c => c.Remove("iss"))));
    }

    [Fact]
    public async Task Typ_JWT_instead_of_at_jwt_is_refused()
    {
        var session = await _client.NewNativeSessionAsync();
        using var key = ServerKey();
        var kid = await KidAsync();

        await AssertRefusedAsync(SignEs256(key, new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = kid }, Claims(session)));
        await AssertRefusedAsync(SignEs256(key, new JsonObject { ["alg"] = "ES256", ["kid"] = kid }, Claims(session)));
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused()
    {
        var session = await _client.NewNativeSessionAsync();
        using var key = ServerKey();
        var now = _app.Time.GetUtcNow().ToUnixTimeSeconds();

        await AssertRefusedAsync(SignEs256(key, await HeaderAsync(), Claims(session, c =>
        {
            c["iat"] = now + 600;
            c["nbf"] = now + 600;
            c["exp"] = now + 1500;
        })));
    }

    [Fact]
    public async Task A_token_without_exp_or_already_expired_when_signed_is_refused()
    {
        var session = await _client.NewNativeSessionAsync();
        using var key = ServerKey();
        var now = _app.Time.GetUtcNow().ToUnixTimeSeconds();

        await AssertRefusedAsync(SignEs256(key, await HeaderAsync(), Claims(session, c => c.Remove("exp"))));
        await AssertRefusedAsync(SignEs256(key, await HeaderAsync(), Claims(session, c => c["exp"] = now - 3600)));
    }

    [Fact]
    public async Task Headers_pointing_at_an_attacker_key_are_ignored()
    {
        var session = await _client.NewNativeSessionAsync();
        var serverKid = await KidAsync();
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = attacker.ExportParameters(false).Q;
        var attackerJwk = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64Url.EncodeToString(q.X),
            ["y"] = Base64Url.EncodeToString(q.Y),
        };
        var attackerKid = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{(string)attackerJwk["x"]!}\",\"y\":\"{(string)attackerJwk["y"]!}\"}}")));

        foreach (var kid in (string[])[attackerKid, serverKid])
        {
            await AssertRefusedAsync(SignEs256(attacker, new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = kid, ["jwk"] = attackerJwk.DeepClone() }, Claims(session)));
            await AssertRefusedAsync(SignEs256(attacker, new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = kid, ["jku"] = "https://attacker.example/jwks.json" }, Claims(session)));
            await AssertRefusedAsync(SignEs256(attacker, new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = kid, ["x5u"] = "https://attacker.example/cert.pem" }, Claims(session)));
        }

        // No kid at all, only the embedded key.
        await AssertRefusedAsync(SignEs256(attacker, new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["jwk"] = attackerJwk.DeepClone() }, Claims(session)));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("abc.def")]
    [InlineData("a.b.c.d.e")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("....")]
    [InlineData("!!!.@@@.###")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9..")]
    [InlineData(".eyJzdWIiOiIxIn0.c2ln")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.====")]
    [InlineData("bm90IGpzb24.eyJzdWIiOiIxIn0.c2ln")]
    [InlineData("WzEsMiwzXQ.eyJzdWIiOiIxIn0.c2ln")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.WzEsMiwzXQ.c2ln")]
    [InlineData("ImEi.ImEi.c2ln")]
    [InlineData("bnVsbA.bnVsbA.c2ln")]
    public async Task Malformed_tokens_are_refused(string token)
    {
        await AssertRefusedAsync(token);
    }

    [Fact]
    public async Task Structurally_broken_tokens_built_from_a_real_one_are_refused()
    {
        var session = await _client.NewNativeSessionAsync();
        var parts = session.AccessToken.Split('.');
        using var key = ServerKey();
        var header = await HeaderAsync();
        var validInput = Encode(header) + "." + Encode(Claims(session));

        string[] attempts =
        [
            parts[0] + parts[1] + parts[2],
            parts[0] + "." + parts[1],
            parts[0] + "." + parts[1] + "." + parts[2] + ".",
            parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[2] + "." + parts[2],
            "." + parts[1] + "." + parts[2],
            parts[0] + ".." + parts[2],
            parts[0] + "." + parts[1] + "." + parts[2][..^2],
            parts[0] + "." + parts[1] + "." + parts[2] + "AA",
            parts[0] + "." + parts[1] + "." + parts[2].Replace('-', '+').Replace('_', '/') + "==",
            parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(new byte[64]),
            parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(new byte[72]),
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"alg\":\"ES256\",")) + "." + parts[1] + "." + parts[2],
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes("<xml/>")) + "." + parts[1] + "." + parts[2],
            // A 10 KB token: a real, validly signed one padded with a large claim.
            SignEs256(key, header, Claims(session, c => c["pad"] = new string('x', 10 * 1024))),
            // A 10 KB header.
            SignEs256(key, new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = (string)header["kid"]!, ["pad"] = new string('x', 10 * 1024) }, Claims(session)),
            // Deeply nested JSON in the payload.
            Encode(header) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000))) + "." + parts[2],
            validInput + "." + parts[2] + " " + parts[2],
        ];

        foreach (var attempt in attempts)
        {
            await AssertRefusedAsync(attempt);
        }

        // None of it harmed the real token.
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task An_empty_or_non_bearer_authorization_header_never_errors()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer ");
        using var empty = await _client.Http.SendAsync(request);

        // A scheme without a token names nobody: either no user or a refusal, never an error.
        Assert.True(empty.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"GET /users/me answered {(int)empty.StatusCode}");
        if (empty.StatusCode == HttpStatusCode.OK)
        {
            Assert.Null((await RotorClient.ReadJsonAsync(empty))["user"]);
        }

        var basic = new HttpRequestMessage(HttpMethod.Get, "/auth/sessions");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        using var basicResponse = await _client.Http.SendAsync(basic);
        Assert.Equal(HttpStatusCode.Unauthorized, basicResponse.StatusCode);
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

    /// <summary>Copies a running host's database (a consistent snapshot, WAL included) and optionally its keys.</summary>
    private static void CopyHost(RotorApp app, string target, bool withKeys)
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

    private async Task AssertRefusedAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var me = await _client.Http.SendAsync(request);
        await AssertInvalidTokenAsync(me, token);

        var protectedRequest = new HttpRequestMessage(HttpMethod.Get, "/auth/sessions");
        protectedRequest.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var sessions = await _client.Http.SendAsync(protectedRequest);
        Assert.True(sessions.StatusCode == HttpStatusCode.Unauthorized, $"GET /auth/sessions answered {(int)sessions.StatusCode} for {Shorten(token)}");
    }

    private static async Task AssertInvalidTokenAsync(HttpResponseMessage response, string? token = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"Expected 401, got {(int)response.StatusCode} for {Shorten(token)}: {text}");
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    private static string Shorten(string? token) => token is null ? "the token" : token.Length > 80 ? token[..80] + "…" : token;

    private async Task<JsonObject> SingleJwkAsync()
    {
        using var response = await _client.Http.GetAsync("/.well-known/jwks.json");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return Assert.Single(body["keys"]!.AsArray())!.AsObject();
    }

    private async Task<string> KidAsync() => (string)(await SingleJwkAsync())["kid"]!;

    private async Task<JsonObject> HeaderAsync() => new() { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = await KidAsync() };

    /// <summary>The server's private signing key, read from the test host's key folder.</summary>
    private ECDsa ServerKey()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(_app.Directory, "keys", "signing-key.pem")));
        return key;
    }

    private JsonObject Claims(NativeSession session, Action<JsonObject>? change = null)
    {
        var now = _app.Time.GetUtcNow().ToUnixTimeSeconds();
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

    private static string Encode(JsonNode node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));

    private static string SignEs256(ECDsa key, JsonObject header, JsonObject claims)
    {
        var input = Encode(header) + "." + Encode(claims);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.EncodeToString(signature);
    }
}

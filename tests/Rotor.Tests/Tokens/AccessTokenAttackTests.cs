using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Tokens;
/// <summary>Forged, tampered, mis-addressed and malformed access tokens: every one is refused with invalid_token, never an error.</summary>
public sealed class AccessTokenAttackTests : AccessTokenTestBase
{
    [Fact]
    public async Task Alg_none_is_refused()
    {
        var session = await Client.NewNativeSessionAsync();
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
        var session = await Client.NewNativeSessionAsync();
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
        var victim = await Client.NewNativeSessionAsync();
        var attacker = await Client.NewNativeSessionAsync();
        var parts = attacker.AccessToken.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["sub"] = victim.UserId;

        var tampered = parts[0] + "." + Encode(payload) + "." + parts[2];

        await AssertRefusedAsync(tampered);

        // The untouched token is still fine: only the change was refused.
        using var original = await Client.SendAsync(HttpMethod.Get, "/users/me", attacker.AccessToken);
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_with_the_same_kid_is_refused()
    {
        var session = await Client.NewNativeSessionAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await AssertRefusedAsync(SignEs256(other, await HeaderAsync(), Claims(session)));
    }

    [Fact]
    public async Task Wrong_audience_or_issuer_is_refused_even_when_signed_by_the_server_key()
    {
        var session = await Client.NewNativeSessionAsync();
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
        var session = await Client.NewNativeSessionAsync();
        using var key = ServerKey();
        var kid = await KidAsync();

        await AssertRefusedAsync(SignEs256(key, new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = kid }, Claims(session)));
        await AssertRefusedAsync(SignEs256(key, new JsonObject { ["alg"] = "ES256", ["kid"] = kid }, Claims(session)));
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused()
    {
        var session = await Client.NewNativeSessionAsync();
        using var key = ServerKey();
        var now = App.Time.GetUtcNow().ToUnixTimeSeconds();

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
        var session = await Client.NewNativeSessionAsync();
        using var key = ServerKey();
        var now = App.Time.GetUtcNow().ToUnixTimeSeconds();

        await AssertRefusedAsync(SignEs256(key, await HeaderAsync(), Claims(session, c => c.Remove("exp"))));
        await AssertRefusedAsync(SignEs256(key, await HeaderAsync(), Claims(session, c => c["exp"] = now - 3600)));
    }

    [Fact]
    public async Task Headers_pointing_at_an_attacker_key_are_ignored()
    {
        var session = await Client.NewNativeSessionAsync();
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
        var session = await Client.NewNativeSessionAsync();
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
        using var me = await Client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task An_empty_or_non_bearer_authorization_header_never_errors()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/users/me");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer ");
        using var empty = await Client.Http.SendAsync(request);

        // A scheme without a token names nobody: either no user or a refusal, never an error.
        Assert.True(empty.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"GET /users/me answered {(int)empty.StatusCode}");
        if (empty.StatusCode == HttpStatusCode.OK)
        {
            Assert.Null((await RotorClient.ReadJsonAsync(empty))["user"]);
        }

        var basic = new HttpRequestMessage(HttpMethod.Get, "/auth/sessions");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        using var basicResponse = await Client.Http.SendAsync(basic);
        Assert.Equal(HttpStatusCode.Unauthorized, basicResponse.StatusCode);
    }
}

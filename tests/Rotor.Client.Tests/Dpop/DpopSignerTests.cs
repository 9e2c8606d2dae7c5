using System.Security.Cryptography;
using Rotor.Client.Internal;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests.Dpop;

/// <summary>The proofs Rotor.Client signs, checked by Microsoft.IdentityModel; and the key's way in and out of a store.</summary>
public sealed class DpopSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_proof_is_an_ES256_dpop_jwt_signed_by_its_public_jwk_with_the_request_its_token_and_the_nonce()
    {
        var key = DpopSigner.Generate();
        const string token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";

        var proof = key.CreateProof(HttpMethod.Post, new Uri("https://API.example.com:8443/items/7?sort=asc#top"), DpopSigner.HashAccessToken(token), "n-1_2.3~", Now);

        var (checkedProof, thumbprint) = await DpopProofCheck.ValidAsync(proof, HttpMethod.Post, "https://api.example.com:8443/items/7", token, "n-1_2.3~");
        Assert.Equal(Now.ToUnixTimeSeconds(), checkedProof.GetPayloadValue<long>("iat"));
        Assert.Equal(key.Thumbprint, thumbprint);
    }

    [Fact]
    public async Task A_proof_for_the_default_port_and_no_token_has_neither_port_nor_ath_nor_nonce()
    {
        var key = DpopSigner.Generate();

        var proof = key.CreateProof(HttpMethod.Get, new Uri("https://auth.example.com:443/auth/refresh"), null, null, Now);

        await DpopProofCheck.ValidAsync(proof, HttpMethod.Get, "https://auth.example.com/auth/refresh", null, null);
    }

    [Fact]
    public void Every_proof_has_its_own_jti()
    {
        var key = DpopSigner.Generate();
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();

        var ids = Enumerable.Range(0, 200)
            .Select(_ => handler.ReadJsonWebToken(key.CreateProof(HttpMethod.Get, new Uri("https://a.example/x"), null, null, Now)).GetPayloadValue<string>("jti"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(200, ids.Count);
    }

    [Fact]
    public async Task Each_session_gets_a_new_key_and_an_exported_key_signs_as_the_original()
    {
        var first = DpopSigner.Generate();
        var second = DpopSigner.Generate();
        Assert.NotEqual(first.Thumbprint, second.Thumbprint);

        var restored = DpopSigner.Import(first.PrivateJwk);

        Assert.Equal(first.Thumbprint, restored.Thumbprint);
        var (_, thumbprint) = await DpopProofCheck.ValidAsync(
            restored.CreateProof(HttpMethod.Post, new Uri("https://auth.example.com/auth/refresh"), null, null, Now), HttpMethod.Post, "https://auth.example.com/auth/refresh", null, null);
        Assert.Equal(first.Thumbprint, thumbprint);
    }

    public static TheoryData<string> MalformedKeys()
    {
        var good = System.Text.Json.Nodes.JsonNode.Parse(DpopSigner.Generate().PrivateJwk)!.AsObject();
        var other = System.Text.Json.Nodes.JsonNode.Parse(DpopSigner.Generate().PrivateJwk)!.AsObject();
        string With(string name, string? value)
        {
            var copy = System.Text.Json.Nodes.JsonNode.Parse(good.ToJsonString())!.AsObject();
            if (value is null)
            {
                copy.Remove(name);
            }
            else
            {
                copy[name] = value;
            }

            return copy.ToJsonString();
        }

        return new TheoryData<string>
        {
            "",
            "not json",
            "[]",
            "{}",
            "null",
            """{"kty":"RSA","n":"AQAB","e":"AQAB"}""",
            With("crv", "P-384"),
            With("kty", "oct"),
            With("d", null),
            With("x", null),
            With("d", "AAAA"),
            With("x", "!!not-base64url!!"),
            With("d", (string)other["d"]!),       // another key's private half
            With("y", (string)other["y"]!),       // a point not on the curve, or not this key's
        };
    }

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public void A_damaged_stored_key_is_refused(string jwk)
    {
        Assert.ThrowsAny<CryptographicException>(() => DpopSigner.Import(jwk));
    }
}

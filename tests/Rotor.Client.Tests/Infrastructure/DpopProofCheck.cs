using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rotor.Client.Tests.Infrastructure;

/// <summary>
/// An independent check of a DPoP proof (RFC 9449 §4.2–4.3) with Microsoft.IdentityModel, not with Rotor.Client's own
/// code: the signature by the public key in the proof's header, the header and the claims the client must send.
/// </summary>
public static class DpopProofCheck
{
    /// <summary>Validates <paramref name="proof"/> and returns it with its public key's RFC 7638 thumbprint.</summary>
    public static async Task<(JsonWebToken Proof, string Thumbprint)> ValidAsync(string? proof, HttpMethod method, string htu, string? accessToken, string? nonce)
    {
        Assert.False(string.IsNullOrEmpty(proof), "no DPoP proof was sent");
        var handler = new JsonWebTokenHandler();
        var unverified = handler.ReadJsonWebToken(proof);
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(proof.Split('.')[0])).RootElement;
        var jwkJson = header.GetProperty("jwk").GetRawText();
        var jwk = new JsonWebKey(jwkJson);
        Assert.Equal("EC", jwk.Kty);
        Assert.Equal("P-256", jwk.Crv);
        Assert.False(jwk.HasPrivateKey, "the proof's jwk carries a private key");
        Assert.DoesNotContain("\"d\"", jwkJson, StringComparison.Ordinal);

        var result = await handler.ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = jwk,
            ValidTypes = ["dpop+jwt"],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        Assert.True(result.IsValid, $"the proof did not validate: {result.Exception?.Message}");

        Assert.Equal("dpop+jwt", unverified.Typ);
        Assert.Equal("ES256", unverified.Alg);
        var jti = unverified.GetPayloadValue<string>("jti");
        Assert.Equal(16, Base64Url.DecodeFromChars(jti).Length);
        Assert.Equal(method.Method, unverified.GetPayloadValue<string>("htm"));
        Assert.Equal(htu, unverified.GetPayloadValue<string>("htu"));
        Assert.True(unverified.TryGetPayloadValue<long>("iat", out _), "no iat");
        if (accessToken is null)
        {
            Assert.False(unverified.TryGetPayloadValue<string>("ath", out _), "ath without an access token");
        }
        else
        {
            Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))), unverified.GetPayloadValue<string>("ath"));
        }

        if (nonce is null)
        {
            Assert.False(unverified.TryGetPayloadValue<string>("nonce", out _), "a nonce nobody asked for");
        }
        else
        {
            Assert.Equal(nonce, unverified.GetPayloadValue<string>("nonce"));
        }

        return (unverified, Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()));
    }
}

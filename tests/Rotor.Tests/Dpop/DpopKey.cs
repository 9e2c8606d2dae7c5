using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Rotor.Tests.Dpop;

/// <summary>
/// A client's DPoP key (ECDSA P-256, or RSA for PS256/RS256) that makes proofs (RFC 9449 §4.2), with every part
/// overridable so the attack tests can make them wrong. The thumbprint is computed here by RFC 7638 itself, not by the
/// server's library, so the two are checked against each other.
/// </summary>
public sealed class DpopKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private DpopKey(ECDsa? ec, RSA? rsa, string algorithm)
    {
        _ec = ec;
        _rsa = rsa;
        Algorithm = algorithm;
    }

    public string Algorithm { get; }

    public static DpopKey NewEc() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null, "ES256");

    public static DpopKey NewRsa(string algorithm = "PS256") => new(null, RSA.Create(2048), algorithm);

    /// <summary>The public JWK, members as RFC 7518 names them.</summary>
    public JsonObject PublicJwk()
    {
        if (_ec is not null)
        {
            var p = _ec.ExportParameters(false);
            return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        }

        var r = _rsa!.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["n"] = B64(r.Modulus!), ["e"] = B64(r.Exponent!) };
    }

    /// <summary>The JWK with its private member(s), as a careless client might send it.</summary>
    public JsonObject PrivateJwk()
    {
        var jwk = PublicJwk();
        jwk["d"] = _ec is not null ? B64(_ec.ExportParameters(true).D!) : B64(_rsa!.ExportParameters(true).D!);
        return jwk;
    }

    /// <summary>RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace, base64url.</summary>
    public string Thumbprint
    {
        get
        {
            var jwk = PublicJwk();
            var canonical = _ec is not null
                ? $"{{\"crv\":\"{jwk["crv"]}\",\"kty\":\"EC\",\"x\":\"{jwk["x"]}\",\"y\":\"{jwk["y"]}\"}}"
                : $"{{\"e\":\"{jwk["e"]}\",\"kty\":\"RSA\",\"n\":\"{jwk["n"]}\"}}";
            return B64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }
    }

    public byte[] Sign(byte[] input) => _ec is not null
        ? _ec.SignData(input, HashAlgorithmName.SHA256)
        : _rsa!.SignData(input, HashAlgorithmName.SHA256, Algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);

    /// <summary>A proof of <paramref name="method"/> <paramref name="url"/> made at <paramref name="now"/>; the callbacks change the header or payload before signing.</summary>
    public string Proof(string method, string url, DateTimeOffset now, string? accessToken = null, string? nonce = null,
        Action<JsonObject>? header = null, Action<JsonObject>? payload = null)
    {
        var h = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = Algorithm, ["jwk"] = PublicJwk() };
        var p = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = now.ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            p["ath"] = B64(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        if (nonce is not null)
        {
            p["nonce"] = nonce;
        }

        header?.Invoke(h);
        payload?.Invoke(p);
        return Compact(h, p, Sign);
    }

    public static string Compact(JsonObject header, JsonObject payload, Func<byte[], byte[]> sign)
    {
        var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return input + "." + B64(sign(Encoding.ASCII.GetBytes(input)));
    }

    public static string B64(byte[] data) => Base64Url.EncodeToString(data);

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rotor.Dpop;
using Rotor.Tokens;

namespace Rotor.Benchmarks;

/// <summary>
/// The in-process cost of checking a DPoP proof (everything but the replay cache's insert, which is a database
/// statement): a refresh proof and a resource proof with <c>ath</c> from a key seen before (IdentityModel keeps its
/// verifier), a first proof from a new key, an RSA (PS256) proof, and a nonce check.
/// </summary>
[MemoryDiagnoser]
public class DpopProofBenchmarks : IDisposable
{
    private const string Url = "https://auth.example.com/auth/refresh";
    private const string AccessToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    private readonly string _keys = Path.Combine(Path.GetTempPath(), "rotor-bench-dpop-" + Guid.NewGuid().ToString("N"));
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private RotorKeyRing _keyRing = null!;
    private DpopProofValidator _validator = null!;
    private string _es256 = null!;
    private string _es256Ath = null!;
    private string _ps256 = null!;
    private string[] _newKeys = null!;
    private string _nonce = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new RotorOptions { KeyDirectory = _keys });
        var time = new FixedTime(_now);
        _keyRing = new RotorKeyRing(new FileKeyStore(options), options, time, NullLogger<RotorKeyRing>.Instance);
        var nonces = new DpopNonces(_keyRing, options, time);
        _validator = new DpopProofValidator(options, nonces, time);
        _nonce = nonces.Current();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        _es256 = Proof(ec, null, "POST", null);
        _es256Ath = Proof(ec, null, "GET", AccessToken);
        _ps256 = Proof(null, rsa, "POST", null);
        _newKeys = new string[4096];
        for (var i = 0; i < _newKeys.Length; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            _newKeys[i] = Proof(key, null, "POST", null);
        }

        if (!Refresh_ES256() || !Resource_ES256_WithAth() || !Refresh_PS256() || !Refresh_ES256_NewKey() || !Nonce())
        {
            throw new InvalidOperationException("A benchmark proof does not validate.");
        }
    }

    [Benchmark(Baseline = true)]
    public bool Refresh_ES256() => _validator.Check(_es256, "POST", Url, null, out _, out _).IsValid;

    [Benchmark]
    public bool Resource_ES256_WithAth() => _validator.Check(_es256Ath, "GET", Url, AccessToken, out _, out _).IsValid;

    [Benchmark]
    public bool Refresh_ES256_NewKey() => _validator.Check(_newKeys[_next++ & 4095], "POST", Url, null, out _, out _).IsValid;

    [Benchmark]
    public bool Refresh_PS256() => _validator.Check(_ps256, "POST", Url, null, out _, out _).IsValid;

    [Benchmark]
    public bool Nonce() => _validator.Nonces.IsValid(_nonce);

    private string Proof(ECDsa? ec, RSA? rsa, string method, string? accessToken)
    {
        JsonObject jwk;
        if (ec is not null)
        {
            var p = ec.ExportParameters(false);
            jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) };
        }
        else
        {
            var p = rsa!.ExportParameters(false);
            jwk = new JsonObject { ["kty"] = "RSA", ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent) };
        }

        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = ec is not null ? "ES256" : "PS256", ["jwk"] = jwk };
        var payload = new JsonObject { ["jti"] = Guid.NewGuid().ToString("N"), ["htm"] = method, ["htu"] = Url, ["iat"] = _now.ToUnixTimeSeconds() };
        if (accessToken is not null)
        {
            payload["ath"] = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(input);
        var signature = ec is not null ? ec.SignData(data, HashAlgorithmName.SHA256) : rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _keyRing.Dispose();
        Directory.Delete(_keys, recursive: true);
        GC.SuppressFinalize(this);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

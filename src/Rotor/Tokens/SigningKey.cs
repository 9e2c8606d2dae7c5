using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Rotor.Tokens;

/// <summary>
/// One ES256 signing key, ready to use: its JWS header, a signer per thread, its public key for validation and
/// its JWK. Built once per generation and kept while the key is published.
/// </summary>
internal sealed class SigningKey : IDisposable
{
    private readonly ECParameters _parameters;
    private readonly ECDsa _publicKey;

    public SigningKey(int generation, DateTimeOffset activatesAt, byte[] pkcs8)
    {
        Generation = generation;
        ActivatesAt = activatesAt;
        using (var key = ECDsa.Create())
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            _parameters = key.ExportParameters(includePrivateParameters: true);
        }

        if (_parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new InvalidOperationException($"Signing key generation {generation} is not a P-256 key; ES256 needs P-256. Remove it from the key store to generate a new one.");
        }

        KeyId = RotorKeyRing.ComputeThumbprint(_parameters);
        var header = $"{{\"alg\":\"ES256\",\"kid\":\"{KeyId}\",\"typ\":\"at+jwt\"}}";
        EncodedHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)));
        // ECDsa instances are not documented as thread-safe; one per thread keeps signing lock-free.
        Signer = new ThreadLocal<ECDsa>(() => ECDsa.Create(_parameters), trackAllValues: true);
        _publicKey = ECDsa.Create(PublicParameters);
        ValidationKeys = [new ECDsaSecurityKey(_publicKey) { KeyId = KeyId }];
        var q = _parameters.Q;
        Jwk = $"{{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\",\"alg\":\"ES256\",\"kid\":\"{KeyId}\",\"x\":\"{RotorKeyRing.Base64Url(q.X!)}\",\"y\":\"{RotorKeyRing.Base64Url(q.Y!)}\"}}";
    }

    public int Generation { get; }

    /// <summary>When this key starts signing; before that it is only published.</summary>
    public DateTimeOffset ActivatesAt { get; }

    /// <summary>The RFC 7638 thumbprint, used as <c>kid</c>.</summary>
    public string KeyId { get; }

    /// <summary>base64url of the JWS header naming this key.</summary>
    public byte[] EncodedHeader { get; }

    public ThreadLocal<ECDsa> Signer { get; }

    /// <summary>The public key, as IdentityModel's resolver returns it (one array, so resolving allocates nothing).</summary>
    public SecurityKey[] ValidationKeys { get; }

    /// <summary>The public key as a JWK (no private member).</summary>
    public string Jwk { get; }

    public ECParameters PublicParameters => new() { Curve = _parameters.Curve, Q = _parameters.Q };

    public void Dispose()
    {
        foreach (var signer in Signer.Values)
        {
            signer.Dispose();
        }

        Signer.Dispose();
        _publicKey.Dispose();
    }
}

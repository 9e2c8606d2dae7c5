using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rotor.Client.Internal;

/// <summary>
/// A session's DPoP key (RFC 9449): a P-256 key pair made at sign-in, and the proofs it signs. The private key never
/// leaves the process except inside the token store (<see cref="PrivateJwk"/>); proofs carry the public key only.
/// </summary>
internal sealed class DpopSigner
{
    private const int CoordinateLength = 32;

    private readonly ECDsa _ecdsa;
    private readonly string _encodedHeader;
    // ECDsa instances are not documented as thread-safe; one signature is tens of microseconds, so a lock costs little.
    private readonly Lock _signing = new();
    private string? _privateJwk;

    private DpopSigner(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        var q = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        var x = Base64Url.EncodeToString(q.X);
        var y = Base64Url.EncodeToString(q.Y);
        // The header is the same for every proof of this key: encoded once.
        var header = $$$"""{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"{{{x}}}","y":"{{{y}}}"}}""";
        _encodedHeader = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header));
        // RFC 7638: the required members in lexicographic order, no white space.
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""";
        Thumbprint = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The key's JWK SHA-256 thumbprint (RFC 7638), which the server puts in bound tokens as <c>cnf.jkt</c>.</summary>
    public string Thumbprint { get; }

    /// <summary>Makes a fresh P-256 key.</summary>
    public static DpopSigner Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Reads a key written by <see cref="PrivateJwk"/>.</summary>
    /// <exception cref="CryptographicException">It is not a P-256 private JWK, or its halves do not belong together.</exception>
    public static DpopSigner Import(string privateJwk)
    {
        ArgumentNullException.ThrowIfNull(privateJwk);
        try
        {
            using var document = JsonDocument.Parse(privateJwk);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "kty") != "EC" || Text(root, "crv") != "P-256")
            {
                throw new CryptographicException("The stored DPoP key is not a P-256 JSON Web Key.");
            }

            var parameters = new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Coordinate(root, "x"), Y = Coordinate(root, "y") },
                D = Coordinate(root, "d"),
            };
            // ImportParameters checks that the point is on the curve and that d belongs to it.
            return new DpopSigner(ECDsa.Create(parameters));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new CryptographicException("The stored DPoP key is not a valid JSON Web Key.", ex);
        }
    }

    /// <summary>The key pair as a private JWK (with <c>d</c>), for the token store only; made once.</summary>
    public string PrivateJwk => _privateJwk ??= ExportPrivateJwk();

    private string ExportPrivateJwk()
    {
        var p = _ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            return $$"""{"kty":"EC","crv":"P-256","x":"{{Base64Url.EncodeToString(p.Q.X)}}","y":"{{Base64Url.EncodeToString(p.Q.Y)}}","d":"{{Base64Url.EncodeToString(p.D)}}"}""";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(p.D);
        }
    }

    /// <summary>The <c>ath</c> of a proof sent with <paramref name="accessToken"/>: base64url(SHA-256(token)).</summary>
    public static string HashAccessToken(string accessToken) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    /// <summary>The target URI as a proof's <c>htu</c>: scheme, host, port (when not the default) and path; no query or fragment.</summary>
    public static string TargetUri(Uri target) =>
        target.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    /// <summary>Signs a proof for one request.</summary>
    /// <param name="method">The request's method (<c>htm</c>).</param>
    /// <param name="target">The request's URI (<c>htu</c> drops its query and fragment).</param>
    /// <param name="accessTokenHash">The <c>ath</c> when the request carries an access token; see <see cref="HashAccessToken"/>.</param>
    /// <param name="nonce">The server's latest <c>DPoP-Nonce</c> for the target's origin, if it sent one.</param>
    /// <param name="now">The proof's <c>iat</c>.</param>
    /// <returns>The compact JWS for the <c>DPoP</c> header.</returns>
    public string CreateProof(HttpMethod method, Uri target, string? accessTokenHash, string? nonce, DateTimeOffset now)
    {
        Span<byte> jti = stackalloc byte[16];
        RandomNumberGenerator.Fill(jti);
        var payload = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            writer.WriteString("jti", Base64Url.EncodeToString(jti));
            writer.WriteString("htm", method.Method);
            writer.WriteString("htu", TargetUri(target));
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            if (accessTokenHash is not null)
            {
                writer.WriteString("ath", accessTokenHash);
            }

            if (nonce is not null)
            {
                writer.WriteString("nonce", nonce);
            }

            writer.WriteEndObject();
        }

        var signingInput = _encodedHeader + "." + Base64Url.EncodeToString(payload.WrittenSpan);
        byte[] signature;
        lock (_signing)
        {
            // IEEE P1363 (r || s), the JWS form, is .NET's default for ECDsa.
            signature = _ecdsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        }

        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Coordinate(JsonElement root, string name)
    {
        var bytes = Text(root, name) is { } text ? Base64Url.DecodeFromChars(text) : null;
        return bytes is { Length: CoordinateLength }
            ? bytes
            : throw new CryptographicException($"The stored DPoP key's '{name}' is missing or not {CoordinateLength} bytes.");
    }
}

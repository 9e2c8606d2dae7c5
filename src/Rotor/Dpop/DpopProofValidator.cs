using System.Buffers.Text;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Rotor.Tokens;

namespace Rotor.Dpop;

/// <summary>
/// Checks a request's DPoP proof (RFC 9449 §4.3): one <c>DPoP</c> header holding a compact JWS with <c>typ</c>
/// <c>dpop+jwt</c>, an allowed asymmetric <c>alg</c>, a public <c>jwk</c> (no private or symmetric members) that
/// verifies its signature, <c>htm</c> and <c>htu</c> naming this request, an <c>iat</c> inside the window, a server
/// nonce when one is required or sent, <c>ath</c> matching the access token it accompanies, and a <c>jti</c> not seen
/// before (<see cref="IDpopReplayCache"/>, shared by the fleet). Every refusal is a value, never an exception.
/// </summary>
/// <remarks>
/// IdentityModel's token handler validates a token against keys the server already holds; a proof carries its own key
/// in its header, so the compact form and the two small JSON objects are read here with System.Text.Json, while the key
/// (<see cref="JsonWebKey"/>), its RFC 7638 thumbprint and the signature check are IdentityModel's.
/// </remarks>
internal sealed class DpopProofValidator
{
    /// <summary>The request header that carries the proof.</summary>
    public const string HeaderName = "DPoP";

    /// <summary>The response header that carries a server nonce.</summary>
    public const string NonceHeaderName = "DPoP-Nonce";

    /// <summary>Proofs longer than this are refused unread (a 4096-bit RSA key fits with room to spare).</summary>
    internal const int MaxProofLength = 8192;

    private const int MaxJtiLength = 256;

    // Members that would make the key private or symmetric (RFC 7517/7518), and RSA's multi-prime extension.
    private static readonly string[] s_privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

    private static readonly FrozenDictionary<string, (string Crv, int Length)> s_curves = new Dictionary<string, (string, int)>
    {
        ["ES256"] = ("P-256", 32),
        ["ES384"] = ("P-384", 48),
        ["ES512"] = ("P-521", 66),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly RotorDpopOptions _options;
    private readonly FrozenSet<string> _algorithms;
    private readonly string? _origin;
    private readonly TimeProvider _time;

    public DpopProofValidator(IOptions<RotorOptions> options, DpopNonces nonces, TimeProvider time)
    {
        _options = options.Value.Dpop;
        _algorithms = _options.EffectiveAlgorithms.ToFrozenSet(StringComparer.Ordinal);
        _origin = _options.Origin is { } origin && OriginPolicy.TryNormalize(origin, out var normalized) ? normalized : null;
        Algorithms = string.Join(' ', _options.EffectiveAlgorithms);
        Nonces = nonces;
        _time = time;
    }

    /// <summary>Whether proofs are read at all (<see cref="RotorDpopOptions.Enabled"/>).</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>Whether every proof must carry a current server nonce.</summary>
    public bool RequireNonce => _options.RequireNonce;

    /// <summary>The accepted algorithms, space-separated, for <c>WWW-Authenticate: DPoP algs="…"</c>.</summary>
    public string Algorithms { get; }

    public DpopNonces Nonces { get; }

    /// <summary>
    /// The request's proof: <see cref="DpopProof.Absent"/> without a <c>DPoP</c> header, else valid or why not. With
    /// <paramref name="accessToken"/> (a resource request) the proof must carry its hash in <c>ath</c>. A valid proof is
    /// recorded in the replay cache, so the same proof is refused the next time, here or on another instance.
    /// </summary>
    public async ValueTask<DpopProof> ValidateAsync(HttpContext context, string? accessToken)
    {
        if (!_options.Enabled)
        {
            return DpopProof.Absent;
        }

        var values = context.Request.Headers[HeaderName];
        if (values.Count == 0)
        {
            return DpopProof.Absent;
        }

        if (values.Count > 1)
        {
            return DpopProof.Invalid("Send exactly one DPoP header.");
        }

        var proof = Check(values[0], context.Request.Method, RequestUri(context.Request), accessToken, out var replayKey, out var replayUntil);
        if (!proof.IsValid)
        {
            return proof;
        }

        var cache = context.RequestServices.GetRequiredService<IDpopReplayCache>();
        return await cache.TryAddAsync(replayKey!, replayUntil, context.RequestAborted).ConfigureAwait(false)
            ? proof
            : DpopProof.Invalid("This DPoP proof was used before; make a new one (with a new jti) for every request.");
    }

    /// <summary>
    /// Every check but the replay cache, for a proof sent with <paramref name="method"/> to <paramref name="requestUri"/>;
    /// on success also the key under which the proof must be recorded and until when.
    /// </summary>
    internal DpopProof Check(string? proof, string method, string requestUri, string? accessToken, out string? replayKey, out DateTimeOffset replayUntil)
    {
        replayKey = null;
        replayUntil = default;
        if (string.IsNullOrEmpty(proof) || proof.Length > MaxProofLength)
        {
            return DpopProof.Invalid(string.IsNullOrEmpty(proof) ? "The DPoP header is empty." : "The DPoP proof is too long.");
        }

        if (proof.Contains(',', StringComparison.Ordinal))
        {
            return DpopProof.Invalid("Send exactly one DPoP header.");
        }

        // Only the exact base64url form: one proof has one spelling, and no decoder below can throw.
        if (!AccessTokenValidator.IsCanonicalCompactJws(proof))
        {
            return DpopProof.Invalid("The DPoP proof is not a compact JWS.");
        }

        var firstDot = proof.IndexOf('.', StringComparison.Ordinal);
        var secondDot = proof.IndexOf('.', firstDot + 1);
        using var header = ParseObject(proof.AsSpan(0, firstDot));
        if (header is null)
        {
            return DpopProof.Invalid("The DPoP proof's header is not a JSON object.");
        }

        var h = header.RootElement;
        if (!h.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String || !string.Equals(typ.GetString(), "dpop+jwt", StringComparison.OrdinalIgnoreCase))
        {
            return DpopProof.Invalid("The DPoP proof's typ must be dpop+jwt.");
        }

        if (!h.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String || algElement.GetString() is not { } alg || !_algorithms.Contains(alg))
        {
            return DpopProof.Invalid($"The DPoP proof's alg must be one of {Algorithms}.");
        }

        if (h.TryGetProperty("crit", out _))
        {
            return DpopProof.Invalid("The DPoP proof names critical header extensions this server does not know.");
        }

        if (!h.TryGetProperty("jwk", out var jwkElement) || ReadPublicKey(jwkElement, alg) is not { } key)
        {
            return DpopProof.Invalid("The DPoP proof's jwk must be a public EC or RSA key of the kind its alg needs, with no private members.");
        }

        if (!Verify(key, alg, proof, firstDot, secondDot, out var thumbprint))
        {
            return DpopProof.Invalid("The DPoP proof's signature does not verify with its jwk.");
        }

        using var payload = ParseObject(proof.AsSpan(firstDot + 1, secondDot - firstDot - 1));
        if (payload is null)
        {
            return DpopProof.Invalid("The DPoP proof's payload is not a JSON object.");
        }

        var p = payload.RootElement;
        if (String(p, "jti") is not { Length: > 0 and <= MaxJtiLength } jti
            || String(p, "htm") is not { } htm
            || String(p, "htu") is not { } htu
            || !p.TryGetProperty("iat", out var iatElement) || iatElement.ValueKind != JsonValueKind.Number || !iatElement.TryGetInt64(out var iat))
        {
            return DpopProof.Invalid("The DPoP proof needs jti, htm, htu and a numeric iat.");
        }

        if (!string.Equals(htm, method, StringComparison.Ordinal))
        {
            return DpopProof.Invalid("The DPoP proof's htm is not this request's method.");
        }

        if (NormalizeUri(htu) is not { } claimed || !string.Equals(claimed, NormalizeUri(requestUri), StringComparison.Ordinal))
        {
            return DpopProof.Invalid("The DPoP proof's htu is not this request's URL.");
        }

        var now = _time.GetUtcNow();
        var nowSeconds = now.ToUnixTimeSeconds();
        if (iat < nowSeconds - (long)_options.ProofLifetime.TotalSeconds || iat > nowSeconds + (long)Math.Ceiling(_options.ClockSkew.TotalSeconds))
        {
            return DpopProof.Invalid("The DPoP proof's iat is too old or in the future; make a new proof with the current time.");
        }

        var hasNonce = p.TryGetProperty("nonce", out var nonceElement);
        if (hasNonce ? nonceElement.ValueKind != JsonValueKind.String || !Nonces.IsValid(nonceElement.GetString()) : _options.RequireNonce)
        {
            return DpopProof.NonceNeeded(hasNonce
                ? "The DPoP proof's nonce is not current; make a new proof with the nonce in the DPoP-Nonce header."
                : "This server requires a nonce in DPoP proofs; make a new proof with the nonce in the DPoP-Nonce header.");
        }

        if (accessToken is not null && !MatchesAccessToken(String(p, "ath"), accessToken))
        {
            return DpopProof.Invalid("The DPoP proof's ath is not the hash of the access token it was sent with.");
        }

        replayKey = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(thumbprint + "." + jti)));
        replayUntil = DateTimeOffset.FromUnixTimeSeconds(iat) + _options.ProofLifetime;
        return DpopProof.Valid(thumbprint);
    }

    /// <summary>The URL a proof for <paramref name="request"/> must name: the configured origin or the request's own, its path base and path.</summary>
    internal string RequestUri(HttpRequest request) =>
        (_origin ?? request.Scheme + "://" + request.Host.ToUriComponent()) + request.PathBase.ToUriComponent() + request.Path.ToUriComponent();

    /// <summary>
    /// An absolute http(s) URL without query and fragment, normalised (RFC 3986 §6.2.2-6.2.3: scheme and host lower
    /// case, default port dropped, percent-encoding and dot segments normalised); null for anything else.
    /// </summary>
    internal static string? NormalizeUri(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
    }

    /// <summary><c>ath</c>: base64url(SHA-256(ASCII(access token))) (RFC 9449 §4.2).</summary>
    internal static string AccessTokenHash(string accessToken) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    private static bool MatchesAccessToken(string? ath, string accessToken) =>
        ath is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(AccessTokenHash(accessToken)));

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A canonical base64url part decoded and parsed as one JSON object with no repeated member; null otherwise.</summary>
    private static JsonDocument? ParseObject(ReadOnlySpan<char> part)
    {
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(Base64Url.DecodeFromChars(part), new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind == JsonValueKind.Object && !HasDuplicates(document.RootElement))
            {
                return document;
            }
        }
        catch (JsonException)
        {
        }

        document?.Dispose();
        return null;
    }

    // Two members of one name would let this server and another reader see different claims.
    private static bool HasDuplicates(JsonElement element)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Add(property.Name) || (property.Value.ValueKind == JsonValueKind.Object && HasDuplicates(property.Value)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The proof's key when it is a public key of the kind <paramref name="alg"/> needs, written canonically; null otherwise.</summary>
    private static JsonWebKey? ReadPublicKey(JsonElement jwk, string alg)
    {
        if (jwk.ValueKind != JsonValueKind.Object || s_privateMembers.Any(m => jwk.TryGetProperty(m, out _)))
        {
            return null;
        }

        var kty = String(jwk, "kty");
        if (s_curves.TryGetValue(alg, out var curve))
        {
            // Exact coordinate lengths: one key has one spelling, so one thumbprint.
            if (kty != "EC" || String(jwk, "crv") != curve.Crv || !IsCanonical(String(jwk, "x"), curve.Length) || !IsCanonical(String(jwk, "y"), curve.Length))
            {
                return null;
            }
        }
        else if (kty != "RSA" || String(jwk, "n") is not { } n || String(jwk, "e") is not { Length: > 0 and <= 8 } e
            || !CanonicalBase64Url.IsCanonical(n) || !CanonicalBase64Url.IsCanonical(e)
            || n.Length < Base64Url.GetEncodedLength(256) || n.Length > Base64Url.GetEncodedLength(1024) || n.StartsWith('A'))
        {
            // At least 2048 bits, at most 8192, with no leading zero byte (an 'A' first would be six zero bits).
            return null;
        }

        try
        {
            return JsonWebKey.Create(jwk.GetRawText());
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static bool IsCanonical(string? value, int length) =>
        value is not null && value.Length == Base64Url.GetEncodedLength(length) && CanonicalBase64Url.IsCanonical(value);

    private static bool Verify(JsonWebKey key, string alg, string proof, int firstDot, int secondDot, out string thumbprint)
    {
        thumbprint = "";
        var factory = key.CryptoProviderFactory;
        SignatureProvider? provider = null;
        try
        {
            provider = factory.CreateForVerifying(key, alg);
            var signature = Base64Url.DecodeFromChars(proof.AsSpan(secondDot + 1));
            if (!provider.Verify(Encoding.ASCII.GetBytes(proof, 0, secondDot), signature))
            {
                return false;
            }

            thumbprint = Base64Url.EncodeToString(key.ComputeJwkThumbprint());
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or NotSupportedException or SecurityTokenException or InvalidOperationException)
        {
            // A point not on the curve, an unusable modulus, a signature of the wrong length: not a valid proof.
            return false;
        }
        finally
        {
            if (provider is not null)
            {
                factory.ReleaseSignatureProvider(provider);
            }
        }
    }
}

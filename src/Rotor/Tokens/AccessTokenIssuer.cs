using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Rotor.Tokens;

/// <summary>
/// Issues RFC 9068 access tokens (<c>typ: at+jwt</c>) signed with ES256. Written directly rather than through a
/// general JWT library because it is on the refresh hot path and every field is ours.
/// </summary>
internal sealed class AccessTokenIssuer
{
    private readonly RotorOptions _options;
    private readonly RotorKeyRing _keys;

    public AccessTokenIssuer(RotorKeyRing keys, IOptions<RotorOptions> options)
    {
        _options = options.Value;
        _keys = keys;
    }

    /// <summary>An access token for the session; with <paramref name="dpopJkt"/> it is bound to that DPoP key (<c>cnf.jkt</c>, RFC 9449 §6.1).</summary>
    public IssuedAccessToken Issue(string userId, string? userName, string? email, Guid sessionId, DateTimeOffset now, DateTimeOffset? authenticatedAt = null, string? dpopJkt = null)
    {
        // The key active at the token's own issue time: every instance with the same keys picks the same one.
        var key = _keys.ActiveSigningKey(now);
        var encodedHeader = key.EncodedHeader;
        var expiresAt = now + _options.AccessTokenLifetime;
        var iat = now.ToUnixTimeSeconds();
        var exp = expiresAt.ToUnixTimeSeconds();

        var payload = new ArrayBufferWriter<byte>(384);
        using (var json = new Utf8JsonWriter(payload))
        {
            Span<byte> jti = stackalloc byte[16];
            RandomNumberGenerator.Fill(jti);
            json.WriteStartObject();
            json.WriteString("iss"u8, _options.Issuer);
            json.WriteString("aud"u8, _options.Audience);
            json.WriteString("sub"u8, userId);
            json.WriteString("sid"u8, sessionId.ToString("D"));
            json.WriteString("jti"u8, Base64Url.EncodeToString(jti));
            json.WriteNumber("iat"u8, iat);
            json.WriteNumber("nbf"u8, iat);
            json.WriteNumber("exp"u8, exp);
            if (authenticatedAt is { } authTime)
            {
                json.WriteNumber("auth_time"u8, authTime.ToUnixTimeSeconds());
            }
            if (dpopJkt is not null)
            {
                json.WriteStartObject("cnf"u8);
                json.WriteString("jkt"u8, dpopJkt);
                json.WriteEndObject();
            }

            if (userName is not null)
            {
                json.WriteString("name"u8, userName);
            }

            if (email is not null)
            {
                json.WriteString("email"u8, email);
            }

            json.WriteEndObject();
        }

        var payloadLength = Base64Url.GetEncodedLength(payload.WrittenCount);
        var signingInputLength = encodedHeader.Length + 1 + payloadLength;
        var signatureLength = Base64Url.GetEncodedLength(64);
        var buffer = ArrayPool<byte>.Shared.Rent(signingInputLength + 1 + signatureLength);
        try
        {
            encodedHeader.CopyTo(buffer, 0);
            buffer[encodedHeader.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload.WrittenSpan, buffer.AsSpan(encodedHeader.Length + 1), out _, out _);

            Span<byte> signature = stackalloc byte[64];
            // .NET's default ECDSA signature format is IEEE P1363 (r ‖ s), which is what JWS requires.
            if (!key.Signer.Value!.TrySignData(buffer.AsSpan(0, signingInputLength), signature, HashAlgorithmName.SHA256, out var written) || written != 64)
            {
                throw new CryptographicException("ES256 signing produced an unexpected signature length.");
            }

            buffer[signingInputLength] = (byte)'.';
            Base64Url.EncodeToUtf8(signature, buffer.AsSpan(signingInputLength + 1), out _, out _);
            var token = Encoding.ASCII.GetString(buffer, 0, signingInputLength + 1 + signatureLength);
            return new IssuedAccessToken(token, expiresAt);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

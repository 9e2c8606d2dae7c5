using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Rotor.Tokens;

/// <summary>
/// Refresh tokens: <c>base64url(key id ‖ session id ‖ generation ‖ HMAC-SHA256(key, key id ‖ session id ‖ generation))</c>.
/// The 256-bit tag is the secret: it can only be computed with a key from <see cref="RotorKeyRing"/>,
/// which is generated from a CSPRNG and never stored in the database in the clear. The key id byte names the key
/// (<see cref="RefreshKey.IdOf"/>; 1, the original version byte, is the first key), so keys can rotate: a token verifies
/// while its key is live, that is until every session that could hold it has ended. The server can re-derive the token of
/// any generation, which is what lets a grace-period replay receive the session's current token.
/// </summary>
internal sealed class RefreshTokenCodec
{
    private const int HeaderLength = 1 + 16 + 8;
    private const int TagLength = 32;
    private const int TokenBytes = HeaderLength + TagLength;

    /// <summary>Length of an encoded token in characters.</summary>
    internal static readonly int EncodedLength = Base64Url.GetEncodedLength(TokenBytes);

    private readonly RotorKeyRing _keys;
    private readonly TimeProvider _time;

    public RefreshTokenCodec(RotorKeyRing keys, TimeProvider time)
    {
        _keys = keys;
        _time = time;
    }

    public string Create(Guid sessionId, long generation)
    {
        var key = _keys.ActiveRefreshKey(_time.GetUtcNow());
        Span<byte> token = stackalloc byte[TokenBytes];
        WriteHeader(token, key.Id, sessionId, generation);
        HMACSHA256.HashData(key.Key, token[..HeaderLength], token[HeaderLength..]);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>
    /// Checks the token's tag in constant time; a forged, truncated, altered or non-canonical token is refused here,
    /// before any database access. Never throws, whatever the input.
    /// </summary>
    public bool TryParse(ReadOnlySpan<char> encoded, out Guid sessionId, out long generation)
    {
        sessionId = Guid.Empty;
        generation = 0;
        if (encoded.Length != EncodedLength)
        {
            return false;
        }

        // Cookies and bodies carry anything: only the exact spelling the server issued is decoded at all.
        Span<byte> token = stackalloc byte[TokenBytes];
        // An unknown or retired key id reads exactly like a forged token.
        if (!CanonicalBase64Url.TryDecodeExact(encoded, token) || _keys.FindRefreshKey(token[0], _time.GetUtcNow()) is not { } key)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[TagLength];
        HMACSHA256.HashData(key.Key, token[..HeaderLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, token[HeaderLength..]))
        {
            return false;
        }

        sessionId = new Guid(token.Slice(1, 16), bigEndian: true);
        generation = BinaryPrimitives.ReadInt64BigEndian(token.Slice(17, 8));
        return generation >= 0;
    }

    private static void WriteHeader(Span<byte> token, byte keyId, Guid sessionId, long generation)
    {
        token[0] = keyId;
        sessionId.TryWriteBytes(token.Slice(1, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(token.Slice(17, 8), generation);
    }
}

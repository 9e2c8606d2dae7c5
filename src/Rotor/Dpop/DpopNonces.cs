using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Rotor.Tokens;

namespace Rotor.Dpop;

/// <summary>
/// Server nonces (RFC 9449 §8) that need no storage and no coordination: a nonce is the number of the current time
/// bucket (<see cref="RotorDpopOptions.NonceLifetime"/> long) and an HMAC of it under a key derived from the key ring's
/// account-secret key, so every instance sharing the key ring makes and accepts the same nonces. The current and the
/// previous bucket are accepted, so a nonce works for at least one lifetime and at most two.
/// </summary>
internal sealed class DpopNonces
{
    private const int MacLength = 16;
    private const int Length = 8 + MacLength;

    private readonly byte[] _key;
    private readonly long _bucketSeconds;
    private readonly TimeProvider _time;

    public DpopNonces(RotorKeyRing keys, IOptions<RotorOptions> options, TimeProvider time)
    {
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.AccountSecretKey, 32, info: "rotor dpop nonce v1"u8.ToArray());
        _bucketSeconds = Math.Max(1, (long)options.Value.Dpop.NonceLifetime.TotalSeconds);
        _time = time;
    }

    /// <summary>The nonce to hand out now.</summary>
    public string Current() => Make(Bucket(_time.GetUtcNow()));

    /// <summary>Whether <paramref name="nonce"/> was made by this key ring in the current or the previous bucket.</summary>
    public bool IsValid(string? nonce)
    {
        Span<byte> presented = stackalloc byte[Length];
        if (nonce is null || !CanonicalBase64Url.TryDecodeExact(nonce, presented))
        {
            return false;
        }

        var bucket = BinaryPrimitives.ReadInt64BigEndian(presented);
        var current = Bucket(_time.GetUtcNow());
        if (bucket != current && bucket != current - 1)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, presented[..8], expected);
        return CryptographicOperations.FixedTimeEquals(presented[8..], expected[..MacLength]);
    }

    private long Bucket(DateTimeOffset now) => now.ToUnixTimeSeconds() / _bucketSeconds;

    private string Make(long bucket)
    {
        Span<byte> nonce = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(nonce, bucket);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, nonce[..8], mac);
        mac[..MacLength].CopyTo(nonce[8..]);
        return Base64Url.EncodeToString(nonce);
    }
}

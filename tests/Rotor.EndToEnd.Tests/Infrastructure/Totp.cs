using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// RFC 6238 codes (HMAC-SHA1, 30-second steps, 6 digits) for a shared key, as an authenticator app makes them.
/// Identity's provider reads the real clock, so steps count from the real time when this object is made.
/// Each <see cref="Next"/> is a different step the server accepts (within two steps of now), since the server
/// refuses a code it has seen.
/// </summary>
public sealed class Totp
{
    private static readonly int[] Offsets = [0, 1, -1, 2];
    private readonly byte[] _key;
    private readonly long _step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
    private int _used;

    public Totp(string sharedKey) => _key = Base32Decode(sharedKey);

    /// <summary>A code the server has not seen yet and accepts now; at most four per key.</summary>
    public string Next() => Code(_step + Offsets[_used++]);

    /// <summary>A well-formed code that is wrong for every step the server could accept.</summary>
    public string Wrong()
    {
        var near = Enumerable.Range(-4, 9).Select(i => Code(_step + i)).ToHashSet();
        for (var candidate = 0; ; candidate++)
        {
            var code = candidate.ToString("D6", CultureInfo.InvariantCulture);
            if (!near.Contains(code))
            {
                return code;
            }
        }
    }

    public string Code(long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238's default, and what authenticator apps compute.
        var hash = HMACSHA1.HashData(_key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            Assert.True(value >= 0, $"'{c}' is not base32.");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}

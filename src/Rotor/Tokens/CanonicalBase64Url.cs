using System.Buffers;
using System.Buffers.Text;

namespace Rotor.Tokens;

/// <summary>
/// Canonical unpadded base64url (RFC 4648 §5, as RFC 7515 §2 uses it): only <c>A-Z a-z 0-9 - _</c>, no padding,
/// no whitespace, and the unused low bits of the last character zero. .NET's decoders are lenient (they skip
/// whitespace, accept padding and ignore unused bits, and some throw on the rest), so every token is checked
/// here first: one value then has exactly one spelling, and nothing a client sends can make a decoder throw.
/// </summary>
internal static class CanonicalBase64Url
{
    private static readonly SearchValues<char> s_alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static bool IsCanonical(ReadOnlySpan<char> text)
    {
        var tail = text.Length % 4;
        if (tail == 1 || text.ContainsAnyExcept(s_alphabet))
        {
            return false;
        }

        if (tail == 0)
        {
            return true;
        }

        // Two trailing characters carry 8 bits of 12, three carry 16 of 18: the rest must be zero.
        var unusedBits = tail == 2 ? 0x0F : 0x03;
        return (Value(text[^1]) & unusedBits) == 0;
    }

    /// <summary>Decodes canonical text of exactly <paramref name="destination"/>'s length; false for anything else, never an exception.</summary>
    public static bool TryDecodeExact(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length != Base64Url.GetEncodedLength(destination.Length) || !IsCanonical(text))
        {
            return false;
        }

        return Base64Url.DecodeFromChars(text, destination, out _, out var written) == OperationStatus.Done && written == destination.Length;
    }

    private static int Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}

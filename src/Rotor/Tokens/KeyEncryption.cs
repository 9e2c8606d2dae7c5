using System.Security.Cryptography;
using System.Text;

namespace Rotor.Tokens;

/// <summary>
/// Encrypts keys for the database under the key-encryption key (AES-256-GCM). The associated data binds each
/// ciphertext to its kind and generation, so a row copied over another does not decrypt as that key.
/// </summary>
internal sealed class KeyEncryption(byte[] keyEncryptionKey)
{
    private const byte Format = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    /// <summary>Reads <see cref="RotorKeyOptions.EncryptionKey"/>; null when it is not a base64 256-bit value.</summary>
    public static byte[]? ParseKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        try
        {
            var key = Convert.FromBase64String(base64.Trim());
            return key.Length == 32 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public byte[] Encrypt(string kind, int generation, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[1 + NonceLength + TagLength + plaintext.Length];
        output[0] = Format;
        var nonce = output.AsSpan(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keyEncryptionKey, TagLength);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceLength + TagLength), output.AsSpan(1 + NonceLength, TagLength), AssociatedData(kind, generation));
        return output;
    }

    public byte[] Decrypt(string kind, int generation, ReadOnlySpan<byte> stored)
    {
        if (stored.Length < 1 + NonceLength + TagLength || stored[0] != Format)
        {
            throw new CryptographicException($"The stored {kind} key generation {generation} is not in a format this version reads.");
        }

        var plaintext = new byte[stored.Length - 1 - NonceLength - TagLength];
        using var aes = new AesGcm(keyEncryptionKey, TagLength);
        try
        {
            aes.Decrypt(stored.Slice(1, NonceLength), stored[(1 + NonceLength + TagLength)..], stored.Slice(1 + NonceLength, TagLength), plaintext, AssociatedData(kind, generation));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CryptographicException($"The stored {kind} key generation {generation} does not decrypt under Rotor:Keys:EncryptionKey; every instance must have the key the database's keys were encrypted with.");
        }

        return plaintext;
    }

    internal static byte[] AssociatedData(string kind, int generation) => Encoding.UTF8.GetBytes($"rotor-key:{kind}:{generation}");
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Rotor.Tokens;

/// <summary>
/// Encrypts keys for the database with AES-256-GCM, either directly under the configured key-encryption key (format 1:
/// <c>1 ‖ nonce ‖ tag ‖ ciphertext</c>) or under a fresh AES key wrapped with an RSA certificate's public key (format 2:
/// <c>2 ‖ wrapped length ‖ RSA-OAEP-SHA256(AES key) ‖ nonce ‖ tag ‖ ciphertext</c>). The associated data binds each
/// ciphertext to its kind and generation, so a row copied over another does not decrypt as that key.
/// </summary>
internal sealed class KeyEncryption
{
    private const byte SecretFormat = 1;
    private const byte CertificateFormat = 2;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly byte[]? _keyEncryptionKey;
    private readonly RSA? _rsa;

    public KeyEncryption(byte[] keyEncryptionKey) => _keyEncryptionKey = keyEncryptionKey;

    private KeyEncryption(RSA rsa) => _rsa = rsa;

    /// <summary>From <see cref="RotorKeyOptions"/>: the certificate when one is set, else the secret key.</summary>
    public static KeyEncryption Create(RotorKeyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.EncryptionCertificatePath))
        {
            return new KeyEncryption(ParseKey(options.EncryptionKey) ?? throw new InvalidOperationException(RotorKeyOptionsValidation.MissingEncryptionKey));
        }

        var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.EncryptionCertificatePath, options.EncryptionCertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        return new KeyEncryption(certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException($"Rotor:Keys:EncryptionCertificatePath ({options.EncryptionCertificatePath}) has no RSA private key; use a .pfx holding an RSA certificate with its private key."));
    }

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
        if (_rsa is null)
        {
            var output = new byte[1 + NonceLength + TagLength + plaintext.Length];
            output[0] = SecretFormat;
            Seal(_keyEncryptionKey!, output.AsSpan(1), plaintext, kind, generation);
            return output;
        }

        var dataKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = _rsa.Encrypt(dataKey, RSAEncryptionPadding.OaepSHA256);
        var result = new byte[3 + wrapped.Length + NonceLength + TagLength + plaintext.Length];
        result[0] = CertificateFormat;
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(1), (ushort)wrapped.Length);
        wrapped.CopyTo(result, 3);
        Seal(dataKey, result.AsSpan(3 + wrapped.Length), plaintext, kind, generation);
        CryptographicOperations.ZeroMemory(dataKey);
        return result;
    }

    public byte[] Decrypt(string kind, int generation, ReadOnlySpan<byte> stored)
    {
        var setting = _rsa is null ? "Rotor:Keys:EncryptionKey" : "Rotor:Keys:EncryptionCertificatePath";
        try
        {
            if (_rsa is null && stored.Length >= 1 + NonceLength + TagLength && stored[0] == SecretFormat)
            {
                return Open(_keyEncryptionKey!, stored[1..], kind, generation);
            }

            if (_rsa is not null && stored.Length >= 3 && stored[0] == CertificateFormat
                && BinaryPrimitives.ReadUInt16BigEndian(stored[1..]) is var length && stored.Length >= 3 + length + NonceLength + TagLength)
            {
                var dataKey = _rsa.Decrypt(stored.Slice(3, length).ToArray(), RSAEncryptionPadding.OaepSHA256);
                return Open(dataKey, stored[(3 + length)..], kind, generation);
            }
        }
        catch (CryptographicException)
        {
        }

        throw new CryptographicException($"The stored {kind} key generation {generation} does not decrypt under {setting}; every instance must have the key the database's keys were encrypted with.");
    }

    private static void Seal(byte[] key, Span<byte> output, ReadOnlySpan<byte> plaintext, string kind, int generation)
    {
        var nonce = output[..NonceLength];
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(nonce, plaintext, output[(NonceLength + TagLength)..], output.Slice(NonceLength, TagLength), AssociatedData(kind, generation));
    }

    private static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedData, string kind, int generation)
    {
        var plaintext = new byte[sealedData.Length - NonceLength - TagLength];
        using var aes = new AesGcm(key, TagLength);
        aes.Decrypt(sealedData[..NonceLength], sealedData[(NonceLength + TagLength)..], sealedData.Slice(NonceLength, TagLength), plaintext, AssociatedData(kind, generation));
        return plaintext;
    }

    internal static byte[] AssociatedData(string kind, int generation) => Encoding.UTF8.GetBytes($"rotor-key:{kind}:{generation}");
}

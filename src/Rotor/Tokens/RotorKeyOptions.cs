namespace Rotor.Tokens;

/// <summary>Where Rotor keeps its keys and how often they rotate (the <c>Rotor:Keys</c> section).</summary>
public sealed class RotorKeyOptions
{
    /// <summary>
    /// <see cref="RotorKeyStorage.File"/> (default): owner-only files in <see cref="RotorOptions.KeyDirectory"/>, for one
    /// machine. <see cref="RotorKeyStorage.Database"/>: the <c>rotor_keys</c> table, encrypted under <see cref="EncryptionKey"/>,
    /// so every instance of a fleet shares them.
    /// </summary>
    public RotorKeyStorage Store { get; set; } = RotorKeyStorage.File;

    /// <summary>
    /// The key-encryption key for <see cref="RotorKeyStorage.Database"/>: a base64 256-bit secret (for example the output of
    /// <c>openssl rand -base64 32</c>), the same on every instance and never stored in the database. Required with the database store.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>
    /// Instead of <see cref="EncryptionKey"/>: a PKCS#12 (.pfx) file holding an RSA certificate and its private key, as Data
    /// Protection's <c>ProtectKeysWithCertificate</c> does; each stored key gets its own AES key, wrapped with RSA-OAEP-SHA256.
    /// </summary>
    public string? EncryptionCertificatePath { get; set; }

    /// <summary>The password of <see cref="EncryptionCertificatePath"/>, if it has one.</summary>
    public string? EncryptionCertificatePassword { get; set; }

    /// <summary>How long a signing key signs before its successor takes over. Default: 30 days.</summary>
    public TimeSpan SigningKeyLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a refresh-token key issues before its successor takes over. Default: 90 days.</summary>
    public TimeSpan RefreshKeyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long a new key is published (in the JWKS, and to every instance) before it is used, so resource servers that
    /// cache the JWKS and instances that reload keys know it first. Default: 1 day; at least twice
    /// <see cref="JwksCacheDuration"/> (10 minutes by default) and twice <see cref="CheckInterval"/>.
    /// </summary>
    public TimeSpan AnnouncePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long resource servers may cache the JWKS (its <c>Cache-Control: max-age</c>). Default: 5 minutes. A shorter cache
    /// allows a shorter <see cref="AnnouncePeriod"/> (at least twice this), for a deployment whose resource servers are told
    /// so, or a fleet under test that must rotate within seconds.
    /// </summary>
    public TimeSpan JwksCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often each instance reloads the keys, rotates those due and removes retired ones. Default: 1 minute.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

namespace Rotor.Tokens;

/// <summary>Start-up checks of <see cref="RotorKeyOptions"/>, each saying what to set.</summary>
internal static class RotorKeyOptionsValidation
{
    public const string MissingEncryptionKey =
        "Rotor:Keys:Store is Database but Rotor:Keys:EncryptionKey is not a base64 256-bit key; set Rotor:Keys:EncryptionKey "
        + "(Rotor__Keys__EncryptionKey in the environment) to the same secret on every instance, for example the output of "
        + "`openssl rand -base64 32`, and keep it out of the database (or set Rotor:Keys:EncryptionCertificatePath to a .pfx "
        + "with an RSA private key, and Rotor:Keys:EncryptionCertificatePassword); or set Rotor:Keys:Store to File for a single machine.";

    public static void Validate(RotorOptions options, List<string> failures)
    {
        var keys = options.Keys;
        if (!Enum.IsDefined(keys.Store))
        {
            failures.Add($"Rotor:Keys:Store is {keys.Store}; set it to File (one machine) or Database (a fleet).");
        }

        var certificate = !string.IsNullOrWhiteSpace(keys.EncryptionCertificatePath);
        if (keys.Store == RotorKeyStorage.Database && !certificate && KeyEncryption.ParseKey(keys.EncryptionKey) is null)
        {
            failures.Add(MissingEncryptionKey);
        }

        if (keys.Store == RotorKeyStorage.Database && certificate && !string.IsNullOrWhiteSpace(keys.EncryptionKey))
        {
            failures.Add("Rotor:Keys:EncryptionKey and Rotor:Keys:EncryptionCertificatePath are both set; set only one of them.");
        }

        if (keys.Store == RotorKeyStorage.Database && certificate && !File.Exists(keys.EncryptionCertificatePath))
        {
            failures.Add($"Rotor:Keys:EncryptionCertificatePath is '{keys.EncryptionCertificatePath}', which does not exist; set it to a readable .pfx file with an RSA private key.");
        }

        Check(failures, nameof(keys.CheckInterval), keys.CheckInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Check(failures, nameof(keys.JwksCacheDuration), keys.JwksCacheDuration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Check(failures, nameof(keys.AnnouncePeriod), keys.AnnouncePeriod, TimeSpan.FromSeconds(2), TimeSpan.FromDays(30));
        // A resource server that fetched the JWKS just before a key was announced fetches it again before the key signs.
        if (keys.AnnouncePeriod < 2 * keys.JwksCacheDuration)
        {
            failures.Add($"Rotor:Keys:AnnouncePeriod ({keys.AnnouncePeriod}) must be at least twice Rotor:Keys:JwksCacheDuration ({keys.JwksCacheDuration}), so resource servers that cache the JWKS see a new key before it signs; lengthen the first or shorten the second.");
        }

        if (keys.AnnouncePeriod < 2 * keys.CheckInterval)
        {
            failures.Add($"Rotor:Keys:AnnouncePeriod ({keys.AnnouncePeriod}) must be at least twice Rotor:Keys:CheckInterval ({keys.CheckInterval}), so every instance loads a new key before it is used.");
        }

        Check(failures, nameof(keys.SigningKeyLifetime), keys.SigningKeyLifetime, keys.AnnouncePeriod + keys.CheckInterval, TimeSpan.FromDays(3650));
        // Refresh tokens name their key in one byte: at most a couple of hundred keys may be live at once.
        Check(failures, nameof(keys.RefreshKeyLifetime), keys.RefreshKeyLifetime,
            TimeSpan.FromTicks(Math.Max((keys.AnnouncePeriod + keys.CheckInterval).Ticks, (options.SessionLifetime + keys.AnnouncePeriod).Ticks / 100)), TimeSpan.FromDays(3650));
    }

    private static void Check(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Rotor:Keys:{key} is {value}; set it between {min} and {max} (Rotor__Keys__{key} in the environment).");
        }
    }
}

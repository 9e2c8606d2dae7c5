using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rotor.Storage;
using Rotor.Tokens;

namespace Rotor.Accounts;

/// <summary>Makes, hashes and checks the one-time secrets Rotor mails: 6-digit codes and reset tokens.</summary>
internal static class AccountSecrets
{
    public const int MaxCodeAttempts = 5;
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public static bool IsCode(string code) => code.Length == 6 && code.All(char.IsAsciiDigit);

    /// <summary>A reset token: the row id and 256 bits of secret. Only the secret's salted HMAC is stored.</summary>
    public static string NewResetToken(Guid id, out string secret)
    {
        secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return id.ToString("N") + "." + secret;
    }

    public static bool TryParseResetToken(string? token, out Guid id, out string secret)
    {
        id = Guid.Empty;
        secret = "";
        if (string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return false;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot != 32 || !Guid.TryParseExact(token.AsSpan(0, dot), "N", out id))
        {
            return false;
        }

        secret = token[(dot + 1)..];
        return secret.Length == 43 && CanonicalBase64Url.IsCanonical(secret);
    }

    public static RotorAccountToken Create(string userId, string purpose, string secret, DateTimeOffset now, TimeSpan lifetime, Guid? id = null)
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        return new RotorAccountToken
        {
            Id = id ?? Guid.CreateVersion7(now),
            UserId = userId,
            Purpose = purpose,
            Salt = salt,
            Hash = Hash(salt, secret),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    public static bool Matches(RotorAccountToken token, string secret) =>
        CryptographicOperations.FixedTimeEquals(token.Hash, Hash(token.Salt, secret));

    private static byte[] Hash(byte[] salt, string secret) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));
}

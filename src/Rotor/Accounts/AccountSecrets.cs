using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rotor.Storage;
using Rotor.Tokens;

namespace Rotor.Accounts;

/// <summary>
/// Makes, hashes and checks the one-time secrets Rotor mails: 6-digit codes and reset tokens. Hashes are
/// HMACs under a key derived from the key ring's account-secret key, which never reaches the database: with a
/// copy of the database alone, a 6-digit code cannot be found by trying all million.
/// </summary>
internal sealed class AccountSecrets
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private readonly byte[] _tokenKey;
    private readonly byte[] _budgetKey;

    public AccountSecrets(RotorKeyRing keys)
    {
        _tokenKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.AccountSecretKey, 32, info: "rotor account token v2"u8.ToArray());
        _budgetKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.AccountSecretKey, 32, info: "rotor code budget v1"u8.ToArray());
        Decoy = Create("", AccountTokenPurposes.VerifyEmail, NewCode(), DateTimeOffset.UnixEpoch, TimeSpan.Zero);
    }

    /// <summary>A token no code matches: checked when there is no real one, so that path takes the same time.</summary>
    public RotorAccountToken Decoy { get; }

    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public static bool IsCode(string code) => code.Length == 6 && code.All(char.IsAsciiDigit);

    /// <summary>A reset token: the row id and 256 bits of secret. Only the secret's HMAC is stored.</summary>
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

    public RotorAccountToken Create(string userId, string purpose, string secret, DateTimeOffset now, TimeSpan lifetime, Guid? id = null)
    {
        var token = new RotorAccountToken
        {
            Id = id ?? Guid.CreateVersion7(now),
            UserId = userId,
            Purpose = purpose,
            Salt = RandomNumberGenerator.GetBytes(32),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        token.Hash = Hash(token, secret);
        return token;
    }

    public bool Matches(RotorAccountToken token, string secret) =>
        CryptographicOperations.FixedTimeEquals(token.Hash, Hash(token, secret));

    /// <summary>The <see cref="RotorCodeBudget.Key"/> of a normalised address: keyed, so the table does not list addresses.</summary>
    public string BudgetKey(string normalizedEmail) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_budgetKey, Encoding.UTF8.GetBytes(normalizedEmail)));

    // The purpose and id are in the MAC too, so a hash copied onto another row (or purpose) matches nothing.
    private byte[] Hash(RotorAccountToken token, string secret)
    {
        var purpose = Encoding.UTF8.GetBytes(token.Purpose);
        var value = Encoding.UTF8.GetBytes(secret);
        var input = new byte[purpose.Length + 1 + 16 + token.Salt.Length + value.Length];
        purpose.CopyTo(input, 0);
        var offset = purpose.Length + 1;
        token.Id.TryWriteBytes(input.AsSpan(offset, 16), bigEndian: true, out _);
        offset += 16;
        token.Salt.CopyTo(input, offset);
        value.CopyTo(input, offset + token.Salt.Length);
        return HMACSHA256.HashData(_tokenKey, input);
    }
}

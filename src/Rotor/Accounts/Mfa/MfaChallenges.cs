using System.Buffers.Text;
using System.Security.Cryptography;
using Rotor.Storage;

namespace Rotor.Accounts.Mfa;

/// <summary>
/// The challenge between the two steps of a sign-in: the row id and 256 bits of secret, as <c>{id:N}.{secret}</c>.
/// The row keeps only an HMAC (under the server's account-secret key) of the secret and the user's security stamp, so the challenge is bound to the
/// user, dies with any change of the stamp (password, two-step settings), and a database copy cannot complete one.
/// The requested session mode is in the row's purpose.
/// </summary>
internal static class MfaChallenges
{
    public const string PurposePrefix = "mfa_signin:";
    public const string UsedCodePurpose = "totp_used";
    public const int MaxAttempts = 5;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const int SecretLength = 43;

    public static string New(Guid id, out string secret)
    {
        secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return id.ToString("N") + "." + secret;
    }

    public static bool TryParse(string? challenge, out Guid id, out string secret)
    {
        id = Guid.Empty;
        secret = "";
        if (challenge is null || challenge.Length != 32 + 1 + SecretLength || challenge[32] != '.'
            || !Guid.TryParseExact(challenge.AsSpan(0, 32), "N", out id))
        {
            return false;
        }

        secret = challenge[33..];
        return Tokens.CanonicalBase64Url.IsCanonical(secret);
    }

    public static RotorAccountToken Create(AccountSecrets secrets, string userId, string mode, string secret, string? securityStamp, DateTimeOffset now, Guid id) =>
        secrets.Create(userId, PurposePrefix + mode, Bound(secret, securityStamp), now, Lifetime, id);

    public static bool Matches(AccountSecrets secrets, RotorAccountToken row, string secret, string? securityStamp) =>
        secrets.Matches(row, Bound(secret, securityStamp));

    /// <summary>The session mode the password step asked for, or null when the row is not a challenge.</summary>
    public static string? ModeOf(RotorAccountToken row) =>
        row.Purpose.StartsWith(PurposePrefix, StringComparison.Ordinal) ? row.Purpose[PurposePrefix.Length..] : null;

    private static string Bound(string secret, string? securityStamp) => secret + "\n" + securityStamp;
}

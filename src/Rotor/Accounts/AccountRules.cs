using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace Rotor.Accounts;

/// <summary>What a username, an email address and a password must be. Passwords follow OWASP ASVS: length only, no composition rules.</summary>
internal static class AccountRules
{
    public const int MinUserNameLength = 3;
    public const int MaxUserNameLength = 32;
    public const int MaxEmailLength = 254;
    public const int MinPasswordLength = 8;

    /// <summary>Longer passwords are refused before hashing, so a megabyte of password costs nothing.</summary>
    public const int MaxPasswordLength = 128;

    /// <summary>The stored form of a username: trimmed and NFKC-normalised (case is kept for display).</summary>
    public static string CanonicalUserName(string userName) => userName.Trim().Normalize(NormalizationForm.FormKC);

    public static Dictionary<string, string[]> Validate(string? userName, string? email, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(userName))
        {
            errors["username"] = ["Choose a username."];
        }
        else
        {
            var canonical = CanonicalUserName(userName);
            var length = new StringInfo(canonical).LengthInTextElements;
            if (length is < MinUserNameLength or > MaxUserNameLength)
            {
                errors["username"] = [$"Use {MinUserNameLength} to {MaxUserNameLength} characters."];
            }
            else if (!canonical.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' || char.IsSurrogate(c)))
            {
                errors["username"] = ["Use letters, digits, dots, dashes and underscores only."];
            }
        }

        if (string.IsNullOrWhiteSpace(email))
        {
            errors["email"] = ["Enter an email address."];
        }
        else if (!IsEmail(email.Trim()))
        {
            errors["email"] = ["Enter a valid email address, such as name@example.com."];
        }

        var passwordError = ValidatePassword(password);
        if (passwordError is not null)
        {
            errors["password"] = [passwordError];
        }

        return errors;
    }

    public static string? ValidatePassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Choose a password.";
        }

        var length = new StringInfo(password).LengthInTextElements;
        if (length < MinPasswordLength)
        {
            return $"Use at least {MinPasswordLength} characters.";
        }

        return password.Length > MaxPasswordLength ? $"Use at most {MaxPasswordLength} characters." : null;
    }

    public static bool IsEmail(string email) =>
        email.Length <= MaxEmailLength
        && MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.Host.Contains('.', StringComparison.Ordinal);
}

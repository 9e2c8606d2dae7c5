using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace Rotor.Accounts;

/// <summary>
/// What a username, an email address and a password must be. Passwords follow OWASP ASVS 5: 8 to 128 characters,
/// no composition rules, and not on the shipped list of common passwords (<see cref="CommonPasswords"/>).
/// </summary>
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
        if (ValidateUserName(userName) is { } userNameError)
        {
            errors["username"] = [userNameError];
        }

        if (ValidateEmail(email) is { } emailError)
        {
            errors["email"] = [emailError];
        }

        var passwordError = ValidatePassword(password);
        if (passwordError is not null)
        {
            errors["password"] = [passwordError];
        }

        return errors;
    }

    public static string? ValidateUserName(string? userName)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            return "Choose a username.";
        }

        var canonical = CanonicalUserName(userName);
        var length = new StringInfo(canonical).LengthInTextElements;
        if (length is < MinUserNameLength or > MaxUserNameLength)
        {
            return $"Use {MinUserNameLength} to {MaxUserNameLength} characters.";
        }

        return canonical.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' || char.IsSurrogate(c))
            ? null
            : "Use letters, digits, dots, dashes and underscores only.";
    }

    public static string? ValidateEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) ? "Enter an email address."
        : !IsEmail(email.Trim()) ? "Enter a valid email address, such as name@example.com."
        : null;

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

        if (password.Length > MaxPasswordLength)
        {
            return $"Use at most {MaxPasswordLength} characters.";
        }

        return CommonPasswords.Contains(password)
            ? "This password is one of the most common ones, so it is easy to guess. Choose another; a few unrelated words work well."
            : null;
    }

    public static bool IsEmail(string email) =>
        email.Length <= MaxEmailLength
        && MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.Host.Contains('.', StringComparison.Ordinal);
}

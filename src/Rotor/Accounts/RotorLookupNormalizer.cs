using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Rotor.Accounts;

/// <summary>
/// Normalises usernames and emails for look-ups: Unicode compatibility normalisation (NFKC, so full-width
/// and other look-alike forms collapse) and case folding. <c>Admin</c>, <c>admin</c> and <c>ａｄｍｉｎ</c>
/// are one name. Passwords never pass through here.
/// </summary>
public sealed class RotorLookupNormalizer : ILookupNormalizer
{
    /// <inheritdoc />
    public string? NormalizeName(string? name) => Normalize(name);

    /// <inheritdoc />
    public string? NormalizeEmail(string? email) => Normalize(email);

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    internal static string? Normalize(string? value)
    {
        if (value is null)
        {
            return null;
        }

        // Lower then upper folds letters that have several lower-case forms (σ/ς) to one.
        var folded = value.Trim().Normalize(NormalizationForm.FormKC).ToLowerInvariant().ToUpperInvariant().Normalize(NormalizationForm.FormKC);

        // No name or address holds NUL (the account rules admit letters, digits and . _ -), and PostgreSQL text
        // cannot: a look-up with one must find nothing, not fail. U+FFFD is no letter either, so it matches no one.
        return folded.Contains('\0', StringComparison.Ordinal) ? folded.Replace('\0', '\uFFFD') : folded;
    }
}

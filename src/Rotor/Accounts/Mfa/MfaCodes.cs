using Microsoft.AspNetCore.Identity;

namespace Rotor.Accounts.Mfa;

/// <summary>
/// Checks second-factor codes with Identity: authenticator codes through the app's authenticator token provider
/// (<see cref="TokenOptions.AuthenticatorTokenProvider"/>), each accepted once; recovery codes through the user
/// store, each usable once. Also the one place where a wrong code counts against the account.
/// </summary>
internal sealed class MfaCodes<TUser>(UserManager<TUser> users, IMfaStore store, TimeProvider time)
    where TUser : IdentityUser
{
    /// <summary>
    /// How long an accepted authenticator code is remembered. Identity's provider accepts a code for about two
    /// and a half minutes (two 30-second steps either side); remembering it longer refuses every replay.
    /// </summary>
    public static readonly TimeSpan UsedCodeMemory = TimeSpan.FromMinutes(5);

    private const int MaxRecoveryCodeLength = 64;

    /// <summary>The 6 digits of an authenticator code typed with spaces or a dash, or null when it is not one.</summary>
    public static string? NormalizeTotp(string? code)
    {
        if (code is null || code.Length > 16)
        {
            return null;
        }

        var digits = code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>Whether <paramref name="code"/> is the user's current authenticator code and was not used before.</summary>
    public async Task<bool> VerifyTotpAsync(TUser user, string? code, CancellationToken cancellationToken)
    {
        EnsureSupported();
        var digits = NormalizeTotp(code);
        if (digits is null || string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)))
        {
            return false;
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
        {
            return false;
        }

        // Identity accepts a code throughout its window, any number of times: the first use spends it.
        return await store.TryMarkCodeUsedAsync(user.Id, digits, time.GetUtcNow(), UsedCodeMemory, cancellationToken);
    }

    /// <summary>Uses up one of the user's recovery codes; false when it is not one of them.</summary>
    public async Task<bool> RedeemRecoveryCodeAsync(TUser user, string? code)
    {
        EnsureSupported();
        if (string.IsNullOrWhiteSpace(code) || code.Length > MaxRecoveryCodeLength)
        {
            return false;
        }

        // Identity's codes are upper-case, XXXXX-XXXXX; accept them as people copy them.
        var normalized = code.Trim().ToUpperInvariant();
        if (normalized.Length == 10 && !normalized.Contains('-', StringComparison.Ordinal))
        {
            normalized = normalized[..5] + "-" + normalized[5..];
        }

        // Identity removes the code in an update guarded by the user's concurrency stamp, so of two requests
        // spending the same code at once, one fails.
        return (await users.RedeemTwoFactorRecoveryCodeAsync(user, normalized)).Succeeded;
    }

    /// <summary>
    /// Counts a wrong code toward the account's lockout; returns the wait when that locked the account.
    /// Kept here alone so the lockout policy can change in one place.
    /// </summary>
    public async Task<TimeSpan?> CountFailureAsync(TUser user)
    {
        await users.AccessFailedAsync(user);
        if (!await users.IsLockedOutAsync(user))
        {
            return null;
        }

        return await LockoutRemainingAsync(user);
    }

    /// <summary>How long the account stays locked; at least one second.</summary>
    public async Task<TimeSpan> LockoutRemainingAsync(TUser user)
    {
        var now = time.GetUtcNow();
        var remaining = (await users.GetLockoutEndDateAsync(user) ?? now) - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1);
    }

    /// <summary>Fails with a message that says what is missing when the app's user store cannot hold the two-step data.</summary>
    public void EnsureSupported()
    {
        if (!users.SupportsUserAuthenticatorKey || !users.SupportsUserTwoFactorRecoveryCodes || !users.SupportsUserTwoFactor)
        {
            throw new InvalidOperationException(
                $"Two-step sign-in needs a user store that implements IUserTwoFactorStore, IUserAuthenticatorKeyStore and IUserTwoFactorRecoveryCodeStore for {typeof(TUser).Name} (Identity's EF Core UserStore does, with the UserTokens table).");
        }
    }
}

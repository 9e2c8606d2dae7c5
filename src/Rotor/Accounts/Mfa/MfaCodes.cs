using Microsoft.AspNetCore.Identity;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Accounts.Mfa;

/// <summary>
/// Checks second-factor codes with Identity: authenticator codes through the app's authenticator token provider
/// (<see cref="TokenOptions.AuthenticatorTokenProvider"/>), each accepted once; recovery codes through the user
/// store, each usable once. Also the one place where a wrong code counts against the account.
/// </summary>
internal sealed class MfaCodes<TUser>(UserManager<TUser> users, IMfaStore store, SignInThrottle throttle, PasswordGuard<TUser> guard, TimeProvider time)
    where TUser : IdentityUser, new()
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
    /// How long this client must wait before trying a code: the app's lock (Identity's LockoutEnd), or the failures
    /// Rotor counted from this source (<see cref="SignInThrottle"/>, the same counts as wrong passwords). Null: try.
    /// </summary>
    public async Task<TimeSpan?> LockedForAsync(TUser user, ClientInfo client, CancellationToken cancellationToken)
    {
        return await guard.AppLockAsync(user) ?? (await throttle.CheckAsync(SignInThrottle.UserAccount(user.Id), client, cancellationToken)).RetryAfter;
    }

    /// <summary>
    /// Counts a wrong code as a failed sign-in from this source and stores <paramref name="failure"/> (and a
    /// <c>locked_out</c> event when it locks); returns the wait when it did. The one place a wrong code counts.
    /// </summary>
    public async Task<TimeSpan?> CountFailureAsync(TUser user, ClientInfo client, RotorSecurityEvent failure, CancellationToken cancellationToken)
    {
        var account = SignInThrottle.UserAccount(user.Id);
        var gate = await throttle.CheckAsync(account, client, cancellationToken);
        return await throttle.FailAsync(account, gate, failure, cancellationToken);
    }

    /// <summary>The whole sign-in succeeded: this source's failures are forgotten (the password step left them, so wrong codes add up).</summary>
    public async Task SucceededAsync(TUser user, ClientInfo client, CancellationToken cancellationToken)
    {
        var account = SignInThrottle.UserAccount(user.Id);
        await throttle.SucceededAsync(account, await throttle.CheckAsync(account, client, cancellationToken), cancellationToken);
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

using Microsoft.AspNetCore.Identity;
using Rotor.Http;
using Rotor.Sessions;

namespace Rotor.Accounts;

/// <summary>
/// Every password check Rotor makes (sign-in, the current password on a change) goes through here, so each one is
/// counted by <see cref="SignInThrottle"/> the same way, and a wrong password costs the same time and the same
/// writes whether or not the account exists. Callers hold <see cref="AccountLocks"/> for the account around it.
/// </summary>
internal sealed class PasswordGuard<TUser>(UserManager<TUser> users, IPasswordHasher<TUser> hasher, SignInThrottle throttle, TimeProvider time)
    where TUser : IdentityUser, new()
{
    // Verifying against a real hash when there is nothing to verify makes every refusal take the hash's time.
    private static (TUser User, string Hash)? s_decoy;

    /// <summary>
    /// Checks <paramref name="password"/> for <paramref name="user"/> (null: the name matched nobody, and
    /// <paramref name="account"/> is the name's key). Null when it is right; otherwise <c>locked_out</c> with the
    /// wait, or <c>invalid_credentials</c>. A wrong password is counted and logged with <paramref name="detail"/>.
    /// </summary>
    public async Task<RotorError?> CheckAsync(TUser? user, string account, string password, ClientInfo client, Guid? sessionId, string detail, CancellationToken cancellationToken)
    {
        // Locked by the app (Identity's LockoutEnd): refused whatever the password, as Identity would.
        if (user is not null && await AppLockAsync(user) is { } appLock)
        {
            SpendHashTime(password);
            return Locked(appLock);
        }

        var gate = await throttle.CheckAsync(account, client, cancellationToken);
        if (gate.RetryAfter is { } wait)
        {
            SpendHashTime(password);
            return Locked(wait);
        }

        var right = user is not null && password.Length <= AccountRules.MaxPasswordLength
            ? await users.CheckPasswordAsync(user, password)
            : SpendHashTime(password);
        if (!right)
        {
            var failure = SessionService.Event(SecurityEventTypes.LoginFailed, user?.Id, sessionId, client, time.GetUtcNow(), user is null ? "no such account" : detail);
            return await throttle.FailAsync(account, gate, failure, cancellationToken) is { } locked ? Locked(locked) : RotorErrorCodes.InvalidCredentials;
        }

        // With two-step sign-in on, only the finished second step forgets this source's failures (MfaCodes): were
        // the password alone to do it, someone holding the password could guess codes forever, 4 at a time.
        if (!(users.SupportsUserTwoFactor && await users.GetTwoFactorEnabledAsync(user!)))
        {
            await throttle.SucceededAsync(account, gate, cancellationToken);
        }

        return null;
    }

    /// <summary>Forgets every failed password counted against the user, from every source (their password was reset).</summary>
    public Task ForgetFailuresAsync(string userId, CancellationToken cancellationToken) => throttle.ForgetUserAsync(userId, cancellationToken);

    private static RotorError Locked(TimeSpan wait) => new(RotorErrorCodes.LockedOut, wait);

    /// <summary>How long the app's own lock (Identity's LockoutEnd) still holds; null when the user is not locked.</summary>
    public async Task<TimeSpan?> AppLockAsync(TUser user)
    {
        if (!await users.IsLockedOutAsync(user))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var remaining = (await users.GetLockoutEndDateAsync(user) ?? now) - now;
        // A lock "forever" (DateTimeOffset.MaxValue) still needs a Retry-After that fits in whole seconds.
        return remaining > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(remaining.Ticks, TimeSpan.FromDays(365).Ticks)) : TimeSpan.FromSeconds(1);
    }

    private bool SpendHashTime(string password)
    {
        var decoy = s_decoy ??= (new TUser(), hasher.HashPassword(new TUser(), Guid.NewGuid().ToString()));
        hasher.VerifyHashedPassword(decoy.User, decoy.Hash, password.Length <= AccountRules.MaxPasswordLength ? password : password[..AccountRules.MaxPasswordLength]);
        return false;
    }
}

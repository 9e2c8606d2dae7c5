using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Diagnostics;
using Rotor.Email;
using Rotor.Http;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Accounts;

/// <summary>Sign-in and registration on ASP.NET Core Identity's <see cref="UserManager{TUser}"/> and password hasher.</summary>
internal sealed class RotorAccounts<TUser>(
    UserManager<TUser> users,
    IPasswordHasher<TUser> hasher,
    AccountLocks locks,
    UnknownAccountLockout unknownLockout,
    IRotorStore store,
    TimeProvider time,
    RotorMetrics metrics,
    RotorMailQueue mail,
    IOptions<RotorOptions> options,
    ILogger<RotorAccounts<TUser>> logger) : IRotorAccounts
    where TUser : IdentityUser, new()
{
    // Verifying against a real hash when the user does not exist makes the failure take the same time.
    private static readonly Lazy<(TUser User, string Hash)> s_decoy = new(() =>
    {
        var user = new TUser();
        return (user, new PasswordHasher<TUser>().HashPassword(user, Guid.NewGuid().ToString()));
    });

    public async Task<RotorOutcome<RotorUserInfo>> PasswordSignInAsync(string login, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        var normalized = RotorLookupNormalizer.Normalize(login);
        using var held = await locks.EnterAsync(normalized, cancellationToken);
        var user = login.Contains('@', StringComparison.Ordinal) ? await users.FindByEmailAsync(login.Trim()) : await users.FindByNameAsync(login.Trim());
        if (user is null)
        {
            SpendHashTime(password);
            var locked = unknownLockout.LockedFor(normalized) ?? unknownLockout.Fail(normalized);
            metrics.Login(locked is null ? "invalid_credentials" : "locked_out");
            RotorLog.SignInFailed(logger, "");
            return locked is { } wait ? new RotorError(RotorErrorCodes.LockedOut, wait) : RotorErrorCodes.InvalidCredentials;
        }

        if (await users.IsLockedOutAsync(user))
        {
            SpendHashTime(password);
            metrics.Login("locked_out");
            return new RotorError(RotorErrorCodes.LockedOut, await LockoutRemainingAsync(user));
        }

        var passwordOk = password.Length <= AccountRules.MaxPasswordLength ? await users.CheckPasswordAsync(user, password) : SpendHashTime(password);
        if (!passwordOk)
        {
            await users.AccessFailedAsync(user);
            var now = time.GetUtcNow();
            await store.AddEventAsync(SessionService.Event(SecurityEventTypes.LoginFailed, user.Id, null, client, now, "wrong password"), cancellationToken);
            RotorLog.SignInFailed(logger, " for a known user");
            if (await users.IsLockedOutAsync(user))
            {
                var remaining = await LockoutRemainingAsync(user);
                await store.AddEventAsync(SessionService.Event(SecurityEventTypes.LockedOut, user.Id, null, client, now), cancellationToken);
                RotorLog.LockedOut(logger, user.Id, now + remaining);
                metrics.Login("locked_out");
                return new RotorError(RotorErrorCodes.LockedOut, remaining);
            }

            metrics.Login("invalid_credentials");
            return (RotorError)RotorErrorCodes.InvalidCredentials;
        }

        // With two-step sign-in on, only the finished second step resets the count (Mfa.RotorSignInGate): were
        // the password alone to reset it, wrong codes would never add up to a lockout.
        if (await users.GetAccessFailedCountAsync(user) > 0 && !(users.SupportsUserTwoFactor && await users.GetTwoFactorEnabledAsync(user)))
        {
            await users.ResetAccessFailedCountAsync(user);
        }

        // Checked only after the password, so the answer tells nothing to someone who does not know it.
        if (options.Value.RequireEmailVerification && !await users.IsEmailConfirmedAsync(user))
        {
            await store.AddEventAsync(SessionService.Event(SecurityEventTypes.LoginFailed, user.Id, null, client, time.GetUtcNow(), "email not verified"), cancellationToken);
            metrics.Login(RotorErrorCodes.EmailNotVerified);
            return (RotorError)RotorErrorCodes.EmailNotVerified;
        }

        return Info(user);
    }

    public async Task<RotorOutcome<RotorUserInfo>> RegisterAsync(string? userName, string? email, string? password, CancellationToken cancellationToken)
    {
        var errors = AccountRules.Validate(userName, email, password);
        if (errors.Count > 0)
        {
            return RotorError.Validation(errors);
        }

        var user = new TUser { UserName = AccountRules.CanonicalUserName(userName!), Email = email!.Trim() };
        IdentityResult result;
        try
        {
            result = await users.CreateAsync(user, password!);
        }
        catch (DbUpdateException)
        {
            // Two registrations raced past Identity's check and a unique index decided: say which one lost.
            // Anything else (a locked or unreachable database) is the server's failure: rethrown, it is a 503.
            if (await users.FindByNameAsync(user.UserName) is not null)
            {
                return (RotorError)RotorErrorCodes.UsernameTaken;
            }

            if (await users.FindByEmailAsync(user.Email) is not null)
            {
                return (RotorError)RotorErrorCodes.EmailTaken;
            }

            throw;
        }

        if (result.Succeeded)
        {
            if (options.Value.RequireEmailVerification)
            {
                // The code is made and mailed by the background queue, off this request's path.
                mail.Enqueue(new RotorMailJob(RotorMailJob.VerifyEmail, user.Email));
            }

            return Info(user);
        }

        var codes = result.Errors.Select(e => e.Code).ToHashSet(StringComparer.Ordinal);
        if (codes.Contains(nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            return (RotorError)RotorErrorCodes.UsernameTaken;
        }

        if (codes.Contains(nameof(IdentityErrorDescriber.DuplicateEmail)))
        {
            return (RotorError)RotorErrorCodes.EmailTaken;
        }

        var fieldErrors = result.Errors
            .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : e.Code.Contains("Email", StringComparison.Ordinal) ? "email" : "username")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
        return RotorError.Validation(fieldErrors);
    }

    private async Task<TimeSpan> LockoutRemainingAsync(TUser user)
    {
        var end = await users.GetLockoutEndDateAsync(user) ?? time.GetUtcNow();
        var remaining = end - time.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1);
    }

    private bool SpendHashTime(string password)
    {
        var decoy = s_decoy.Value;
        var bounded = password.Length <= AccountRules.MaxPasswordLength ? password : password[..AccountRules.MaxPasswordLength];
        hasher.VerifyHashedPassword(decoy.User, decoy.Hash, bounded);
        return false;
    }

    internal static RotorUserInfo Info(TUser user) => new(user.Id, user.UserName, user.Email);
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Rotor.Contracts;
using Rotor.Email;
using Rotor.Http;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Accounts;

/// <summary>The account lifecycle on ASP.NET Core Identity's <see cref="UserManager{TUser}"/>, with Rotor's own one-time token table.</summary>
internal sealed class RotorAccountLifecycle<TUser>(
    UserManager<TUser> users,
    IPasswordHasher<TUser> hasher,
    IAccountTokenStore tokens,
    IRotorStore store,
    SessionService sessions,
    RotorMailQueue mail,
    AccountLocks locks,
    PasswordGuard<TUser> guard,
    TimeProvider time,
    ILogger<RotorAccountLifecycle<TUser>> logger) : IRotorAccountLifecycle
    where TUser : IdentityUser, new()
{
    private const string Taken = "taken";
    private const string Malformed = "invalid";

    public async Task<AvailabilityResponse> CheckAvailabilityAsync(string? userName, string? email, CancellationToken cancellationToken)
    {
        AvailabilityResult? name = null;
        AvailabilityResult? address = null;
        if (userName is not null)
        {
            name = AccountRules.ValidateUserName(userName) is not null ? new(false, Malformed)
                : await users.FindByNameAsync(AccountRules.CanonicalUserName(userName)) is not null ? new(false, Taken)
                : new(true, null);
        }

        if (email is not null)
        {
            address = AccountRules.ValidateEmail(email) is not null ? new(false, Malformed)
                : await users.FindByEmailAsync(email.Trim()) is not null ? new(false, Taken)
                : new(true, null);
        }

        return new AvailabilityResponse(name, address);
    }

    public async Task<RotorOutcome<RotorUserInfo>> VerifyEmailAsync(string email, string code, ClientInfo client, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        var token = user is null ? null : await tokens.FindLatestAsync(user.Id, AccountTokenPurposes.VerifyEmail, cancellationToken);
        var now = time.GetUtcNow();
        if (user is null || token is null || token.ConsumedAt is not null)
        {
            return CodeRefused(RotorErrorCodes.OtpInvalid);
        }

        if (token.ExpiresAt <= now)
        {
            return CodeRefused(RotorErrorCodes.OtpExpired);
        }

        // The attempt is counted before the comparison, atomically, so parallel guesses cannot exceed the allowance.
        if (!await tokens.TryCountAttemptAsync(token.Id, AccountSecrets.MaxCodeAttempts, cancellationToken))
        {
            return CodeRefused(RotorErrorCodes.OtpAttemptsExceeded);
        }

        if (!AccountSecrets.Matches(token, code))
        {
            await store.AddEventAsync(SessionService.Event(AccountEventTypes.OtpFailed, user.Id, null, client, now), cancellationToken);
            return token.Attempts + 1 >= AccountSecrets.MaxCodeAttempts ? CodeRefused(RotorErrorCodes.OtpAttemptsExceeded) : CodeRefused(RotorErrorCodes.OtpInvalid);
        }

        if (!await tokens.TryConsumeAsync(token.Id, now, cancellationToken))
        {
            return CodeRefused(RotorErrorCodes.OtpInvalid);
        }

        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            var updated = await users.UpdateAsync(user);
            if (!updated.Succeeded)
            {
                throw new InvalidOperationException("Marking the email address verified failed: " + string.Join("; ", updated.Errors.Select(e => e.Code)));
            }
        }

        await store.AddEventAsync(SessionService.Event(AccountEventTypes.EmailVerified, user.Id, null, client, now), cancellationToken);
        AccountLog.EmailVerified(logger, user.Id);
        return RotorAccounts<TUser>.Info(user);
    }

    public void RequestVerificationCode(string email) => mail.Enqueue(new RotorMailJob(RotorMailJob.VerifyEmail, email.Trim()));

    public void RequestPasswordReset(string email) => mail.Enqueue(new RotorMailJob(RotorMailJob.ResetPassword, email.Trim()));

    public async Task<RotorOutcome<RotorUserInfo>> ResetPasswordAsync(string token, string newPassword, ClientInfo client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!AccountSecrets.TryParseResetToken(token, out var id, out var secret))
        {
            return ResetRefused(RotorErrorCodes.ResetTokenInvalid);
        }

        var row = await tokens.FindAsync(id, cancellationToken);
        if (row is null || row.Purpose != AccountTokenPurposes.ResetPassword || !AccountSecrets.Matches(row, secret))
        {
            return ResetRefused(RotorErrorCodes.ResetTokenInvalid);
        }

        if (row.ConsumedAt is not null)
        {
            return ResetRefused(RotorErrorCodes.ResetTokenUsed);
        }

        if (row.ExpiresAt <= now)
        {
            return ResetRefused(RotorErrorCodes.ResetTokenExpired);
        }

        var user = await users.FindByIdAsync(row.UserId);
        if (user is null)
        {
            return ResetRefused(RotorErrorCodes.ResetTokenInvalid);
        }

        // The password is checked before the token is spent, so a refused password leaves the link working.
        if (await ValidateNewPasswordAsync(user, newPassword, "newPassword") is { } refused)
        {
            return refused;
        }

        if (!await tokens.TryConsumeAsync(row.Id, now, cancellationToken))
        {
            return ResetRefused(RotorErrorCodes.ResetTokenUsed);
        }

        // The link reached the mailbox, so the address is proven; and a reset is the way out of a lockout (Rotor's
        // failure counts; a lock the app set through Identity's LockoutEnd stays the app's to lift).
        user.EmailConfirmed = true;
        user.AccessFailedCount = 0;
        await SetPasswordAsync(user, newPassword);
        await guard.ForgetFailuresAsync(user.Id, cancellationToken);
        await tokens.ConsumeAllAsync(user.Id, AccountTokenPurposes.ResetPassword, now, cancellationToken);
        await tokens.ConsumeAllAsync(user.Id, AccountTokenPurposes.VerifyEmail, now, cancellationToken);
        var revoked = await sessions.RevokeAllAsync(user.Id, null, RevocationReasons.PasswordChanged, client, cancellationToken);
        await store.AddEventAsync(SessionService.Event(AccountEventTypes.PasswordReset, user.Id, null, client, now), cancellationToken);
        AccountLog.PasswordReset(logger, user.Id, revoked);
        return RotorAccounts<TUser>.Info(user);
    }

    public async Task<RotorOutcome<RotorUserInfo>> ChangePasswordAsync(string userId, Guid? sessionId, string currentPassword, string newPassword, ClientInfo client, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        // The same guard as sign-in, on the same account key and lock: failures here and there add up.
        var account = SignInThrottle.UserAccount(user.Id);
        using (await locks.EnterAsync(account, cancellationToken))
        {
            var now = time.GetUtcNow();
            if (await guard.CheckAsync(user, account, currentPassword, client, sessionId, "wrong current password on password change", cancellationToken) is { } wrong)
            {
                return wrong.Code == RotorErrorCodes.LockedOut
                    ? wrong
                    : new RotorError(RotorErrorCodes.CurrentPasswordInvalid, Errors: new Dictionary<string, string[]> { ["currentPassword"] = ["The current password is not right."] });
            }

            if (await ValidateNewPasswordAsync(user, newPassword, "newPassword") is { } refused)
            {
                return refused;
            }

            await SetPasswordAsync(user, newPassword);
            await tokens.ConsumeAllAsync(user.Id, AccountTokenPurposes.ResetPassword, now, cancellationToken);
            var revoked = await sessions.RevokeAllAsync(user.Id, sessionId, RevocationReasons.PasswordChanged, client, cancellationToken);
            if (sessionId is { } current)
            {
                // The new password changed the security stamp; this session proved the old password and goes on.
                await store.RestampAsync(user.Id, current, cancellationToken);
            }

            await store.AddEventAsync(SessionService.Event(AccountEventTypes.PasswordChanged, user.Id, sessionId, client, now), cancellationToken);
            AccountLog.PasswordChanged(logger, user.Id, revoked);
            return RotorAccounts<TUser>.Info(user);
        }
    }

    public async Task<RotorOutcome<RotorUserInfo>> ChangeUserNameAsync(string userId, Guid? sessionId, string userName, ClientInfo client, CancellationToken cancellationToken)
    {
        if (AccountRules.ValidateUserName(userName) is { } error)
        {
            return RotorError.Invalid("username", error);
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        var canonical = AccountRules.CanonicalUserName(userName);
        var old = user.UserName;
        if (string.Equals(old, canonical, StringComparison.Ordinal))
        {
            return RotorAccounts<TUser>.Info(user);
        }

        IdentityResult result;
        try
        {
            result = await users.SetUserNameAsync(user, canonical);
        }
        catch (DbUpdateException)
        {
            // Another account took the name between Identity's check and the write; the unique index decided.
            return UserNameTaken();
        }

        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
                ? UserNameTaken()
                : RotorError.Invalid("username", string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        // Identity re-stamps the user on a new name; that is not a reason to end the user's sessions.
        await store.RestampAsync(user.Id, null, cancellationToken);
        await store.AddEventAsync(SessionService.Event(AccountEventTypes.UsernameChanged, user.Id, sessionId, client, time.GetUtcNow(), $"{old} → {canonical}"), cancellationToken);
        AccountLog.UserNameChanged(logger, user.Id);
        return RotorAccounts<TUser>.Info(user);
    }

    private async Task<RotorError?> ValidateNewPasswordAsync(TUser user, string password, string field)
    {
        if (AccountRules.ValidatePassword(password) is { } error)
        {
            return RotorError.Invalid(field, error);
        }

        // Validators the app added to Identity apply too.
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            if (!result.Succeeded)
            {
                return RotorError.Invalid(field, string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }

        return null;
    }

    /// <summary>Stores the new hash and a new security stamp in one update.</summary>
    private async Task SetPasswordAsync(TUser user, string password)
    {
        user.PasswordHash = hasher.HashPassword(user, password);
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Storing the new password failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    private static RotorError UserNameTaken() => RotorErrorCodes.UsernameTaken;

    private RotorError CodeRefused(string code)
    {
        AccountLog.CodeRefused(logger, code);
        return code;
    }

    private RotorError ResetRefused(string code)
    {
        AccountLog.ResetRefused(logger, code);
        return code;
    }
}

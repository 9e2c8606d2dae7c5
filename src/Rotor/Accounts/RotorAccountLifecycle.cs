using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Rotor.Contracts;
using Rotor.Diagnostics;
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
    IStoreUnitOfWork unit,
    AccountSecrets secrets,
    SessionRevocationList revocations,
    RotorMailQueue mail,
    AccountLocks locks,
    PasswordGuard<TUser> guard,
    TimeProvider time,
    ILogger<RotorAccountLifecycle<TUser>> logger) : IRotorAccountLifecycle
    where TUser : IdentityUser, new()
{
    /// <summary>How often a code check runs when parallel checks of the same address keep changing its budget first.</summary>
    private const int MaxCodeCheckAttempts = 8;

    // Looked up in place of a user id when the address has no account or is not being confirmed: no row has it.
    private const string NoUser = "-";

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

    public async Task<RotorOutcome<EmailVerified>> VerifyEmailAsync(string email, string code, ClientInfo client, CancellationToken cancellationToken)
    {
        var address = email.Trim();
        var user = await users.FindByEmailAsync(address);
        var key = secrets.BudgetKey(users.NormalizeEmail(address) ?? address);

        // One unit: the budget is read, the code checked and the outcome (a spent allowance, or the confirmation)
        // stored together, so parallel guesses cannot check more codes than the budget allows. Where writers are
        // not queued (PostgreSQL, or several processes) a parallel guess can change the budget first: the version
        // check then fails, nothing of this unit is kept, and it runs again on what the other one stored.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await unit.RunAsync(ct => CheckCodeAsync(user, key, code, client, ct), cancellationToken);
            }
            catch (DbUpdateException) when (attempt < MaxCodeCheckAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Checks a code against the address's pending verification. An unknown address, one not being confirmed and a
    /// wrong code do the same reads, the same HMAC and the same budget write, and get the same answer.
    /// </summary>
    private async Task<RotorOutcome<EmailVerified>> CheckCodeAsync(TUser? user, string key, string code, ClientInfo client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var budget = await tokens.FindBudgetAsync(key, cancellationToken);
        if (CodeBudget.BlockedFor(budget, now) is { } wait)
        {
            return CodeRefused(new RotorError(RotorErrorCodes.OtpAttemptsExceeded, wait));
        }

        var pending = await tokens.FindVerificationAsync(user?.Id ?? NoUser, cancellationToken);
        var confirming = user is { EmailConfirmed: false } && pending is not null && users.NormalizeEmail(pending.Email) == user.NormalizedEmail;
        var token = await tokens.FindLatestAsync(confirming ? user!.Id : NoUser, AccountTokenPurposes.VerifyEmail, cancellationToken);
        var candidate = confirming && token is { ConsumedAt: null } ? token : null;
        if (!secrets.Matches(candidate ?? secrets.Decoy, code) || candidate is null)
        {
            var (spent, block) = CodeBudget.Fail(budget, key, now);
            await tokens.SaveBudgetAsync(spent, budget?.Version, cancellationToken);
            if (user is not null)
            {
                await store.AddEventAsync(SessionService.Event(AccountEventTypes.OtpFailed, user.Id, null, client, now), cancellationToken);
            }

            return CodeRefused(block is { } blocked ? new RotorError(RotorErrorCodes.OtpAttemptsExceeded, blocked) : RotorErrorCodes.OtpInvalid);
        }

        // Only the holder of the code learns that it expired; it spends nothing, and a new one is a resend away.
        if (candidate.ExpiresAt <= now)
        {
            return CodeRefused(RotorErrorCodes.OtpExpired);
        }

        if (!await tokens.TryConsumeAsync(candidate.Id, now, cancellationToken))
        {
            return CodeRefused(RotorErrorCodes.OtpInvalid);
        }

        if (budget is not null)
        {
            await tokens.DeleteBudgetAsync(key, budget.Version, cancellationToken);
        }

        await tokens.EndVerificationAsync(user!.Id, cancellationToken);
        user.EmailConfirmed = true;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            throw new DbUpdateConcurrencyException("Marking the email address verified failed: " + string.Join("; ", updated.Errors.Select(e => e.Code)));
        }

        await store.AddEventAsync(SessionService.Event(AccountEventTypes.EmailVerified, user.Id, null, client, now), cancellationToken);
        AccountLog.EmailVerified(logger, user.Id);
        return new EmailVerified(RotorAccounts<TUser>.Info(user), pending!.Reason == EmailVerificationReasons.Registration);
    }

    public void RequestVerificationCode(string email) => mail.Enqueue(new RotorMailJob(RotorMailJob.ResendVerification, email.Trim()));

    public void RequestPasswordReset(string email) => mail.Enqueue(new RotorMailJob(RotorMailJob.ResetPassword, email.Trim()));

    public async Task<RotorOutcome<RotorUserInfo>> CheckResetTokenAsync(string token, CancellationToken cancellationToken)
    {
        var found = await FindResetTokenAsync(token, time.GetUtcNow(), cancellationToken);
        return found.TryGetValue(out var link, out var error) ? RotorAccounts<TUser>.Info(link.User) : error;
    }

    public async Task<RotorOutcome<RotorUserInfo>> ResetPasswordAsync(string token, string newPassword, ClientInfo client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await FindResetTokenAsync(token, now, cancellationToken);
        if (!found.TryGetValue(out var link, out var linkError))
        {
            return linkError;
        }

        var (row, user) = link;

        // The password is checked before the token is spent, so a refused password leaves the link working.
        if (await ValidateNewPasswordAsync(user, newPassword, "newPassword") is { } refused)
        {
            return refused;
        }

        var hash = hasher.HashPassword(user, newPassword);
        var outcome = await unit.RunAsync<RotorOutcome<Guid[]>>(async ct =>
        {
            if (!await tokens.TryConsumeAsync(row.Id, now, ct))
            {
                return ResetRefused(RotorErrorCodes.ResetTokenUsed);
            }

            // The link reached the mailbox, so the address is proven; and a reset is the way out of a lockout (Rotor's
            // failure counts; a lock the app set through Identity's LockoutEnd stays the app's to lift).
            user.EmailConfirmed = true;
            user.AccessFailedCount = 0;
            await StorePasswordAsync(user, hash);
            await guard.ForgetFailuresAsync(user.Id, ct);
            await tokens.ConsumeAllAsync(user.Id, AccountTokenPurposes.ResetPassword, now, ct);
            await tokens.ConsumeAllAsync(user.Id, AccountTokenPurposes.VerifyEmail, now, ct);
            await tokens.EndVerificationAsync(user.Id, ct);
            var ended = await store.RevokeAllAsync(user.Id, null, RevocationReasons.PasswordChanged, SessionService.Event(SecurityEventTypes.SessionRevoked, user.Id, null, client, now, RevocationReasons.PasswordChanged), ct);
            await store.AddEventAsync(SessionService.Event(AccountEventTypes.PasswordReset, user.Id, null, client, now), ct);
            return ended.ToArray();
        }, cancellationToken);
        if (!outcome.TryGetValue(out var revoked, out var error))
        {
            return error;
        }

        Revoked(revoked, now);
        AccountLog.PasswordReset(logger, user.Id, revoked.Length);
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

            // Hashing is slow: done before the unit, which holds the database's write lock.
            var hash = hasher.HashPassword(user, newPassword);
            var revoked = await unit.RunAsync(async ct =>
            {
                await StorePasswordAsync(user, hash);
                await tokens.ConsumeAllAsync(user.Id, AccountTokenPurposes.ResetPassword, now, ct);
                var ended = await store.RevokeAllAsync(user.Id, sessionId, RevocationReasons.PasswordChanged, SessionService.Event(SecurityEventTypes.SessionRevoked, user.Id, sessionId, client, now, RevocationReasons.PasswordChanged), ct);
                if (sessionId is { } current)
                {
                    // The new password changed the security stamp; this session proved the old password and goes on.
                    await store.RestampAsync(user.Id, current, ct);
                }

                await store.AddEventAsync(SessionService.Event(AccountEventTypes.PasswordChanged, user.Id, sessionId, client, now), ct);
                return ended;
            }, cancellationToken);
            Revoked(revoked, now);
            AccountLog.PasswordChanged(logger, user.Id, revoked.Count);
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

        RotorError? refused;
        try
        {
            // Identity re-stamps the user on a new name; that is not a reason to end the user's sessions. Both in one
            // transaction, so the revocation poll never sees the new stamp on the old sessions.
            refused = await unit.RunAsync<RotorError?>(async ct =>
            {
                var result = await users.SetUserNameAsync(user, canonical);
                if (!result.Succeeded)
                {
                    return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
                        ? UserNameTaken()
                        : RotorError.Invalid("username", string.Join(" ", result.Errors.Select(e => e.Description)));
                }

                await store.RestampAsync(user.Id, null, ct);
                return null;
            }, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another account took the name between Identity's check and the write; the unique index decided.
            return UserNameTaken();
        }

        if (refused is { } taken)
        {
            return taken;
        }

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

    /// <summary>Stores the new hash and a new security stamp in one update (inside the caller's unit of work).</summary>
    private async Task StorePasswordAsync(TUser user, string hash)
    {
        user.PasswordHash = hash;
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            // Most likely a concurrent change of the user: the unit rolls back, and "nothing was changed" is true.
            throw new DbUpdateConcurrencyException("Storing the new password failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    /// <summary>Ends the access tokens of sessions whose revocation was committed.</summary>
    private void Revoked(IReadOnlyList<Guid> ids, DateTimeOffset now)
    {
        foreach (var id in ids)
        {
            revocations.Add(id, now);
            RotorLog.SessionRevoked(logger, id, RevocationReasons.PasswordChanged);
        }
    }

    private static RotorError UserNameTaken() => RotorErrorCodes.UsernameTaken;

    private RotorError CodeRefused(RotorError error)
    {
        AccountLog.CodeRefused(logger, error.Code);
        return error;
    }

    /// <summary>
    /// The reset link's row and user, or why it does not work: the one check the reset and the page's look-ahead
    /// share, so both answer the same codes. The secret is compared in constant time, against a decoy when the
    /// id is unknown, so the answer's timing does not tell a known id from an unknown one.
    /// </summary>
    private async Task<RotorOutcome<(RotorAccountToken Row, TUser User)>> FindResetTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!AccountSecrets.TryParseResetToken(token, out var id, out var secret))
        {
            return ResetRefused(RotorErrorCodes.ResetTokenInvalid);
        }

        var row = await tokens.FindAsync(id, cancellationToken);
        if (!secrets.Matches(row ?? secrets.Decoy, secret) || row is null || row.Purpose != AccountTokenPurposes.ResetPassword)
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

        return (row, user);
    }

    private RotorError ResetRefused(string code)
    {
        AccountLog.ResetRefused(logger, code);
        return code;
    }
}

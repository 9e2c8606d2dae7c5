using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Rotor.Accounts.Mfa;
using Rotor.Email;
using Rotor.Http;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Accounts;

/// <summary>The email change on Identity's <see cref="UserManager{TUser}.SetEmailAsync"/>.</summary>
internal sealed class RotorEmailChange<TUser>(
    UserManager<TUser> users,
    IAccountTokenStore tokens,
    IRotorStore store,
    IStoreUnitOfWork unit,
    SessionService sessions,
    RotorMailQueue mail,
    TimeProvider time,
    ILogger<RotorEmailChange<TUser>> logger) : IRotorEmailChange
    where TUser : IdentityUser, new()
{
    public async Task<RotorOutcome<RotorUserInfo>> ChangeEmailAsync(string userId, Guid? sessionId, string? email, ClientInfo client, CancellationToken cancellationToken)
    {
        if (AccountRules.ValidateEmail(email) is { } invalid)
        {
            return RotorError.Invalid("email", invalid);
        }

        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        var address = email!.Trim();
        if (string.Equals(user.Email, address, StringComparison.Ordinal))
        {
            return RotorAccounts<TUser>.Info(user);
        }

        if (await users.FindByEmailAsync(address) is { } holder && holder.Id != user.Id)
        {
            return (RotorError)RotorErrorCodes.EmailTaken;
        }

        var now = time.GetUtcNow();
        RotorOutcome<int> changed;
        try
        {
            // One transaction: the new address and stamp, the spent links, the ended sessions and this session's new
            // stamp, so the revocation poll never sees this session with the old stamp after the change.
            changed = await unit.RunAsync<RotorOutcome<int>>(async ct =>
            {
                // Marks the address unconfirmed and changes the security stamp.
                var result = await users.SetEmailAsync(user, address);
                if (!result.Succeeded)
                {
                    return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail))
                        ? RotorErrorCodes.EmailTaken
                        : RotorError.Invalid("email", string.Join(" ", result.Errors.Select(e => e.Description)));
                }

                // Codes and links mailed to the old address must not verify or reset through the new one.
                await tokens.ConsumeAllAsync(user.Id, AccountTokenPurposes.VerifyEmail, now, ct);
                await tokens.ConsumeAllAsync(user.Id, AccountTokenPurposes.ResetPassword, now, ct);

                // The address is the way back into the account: other sessions end, this one (which just proved itself) goes on.
                var ended = await sessions.RevokeAllAsync(user.Id, sessionId, RevocationReasons.EmailChanged, client, ct);
                if (sessionId is { } current)
                {
                    await store.RestampAsync(user.Id, current, ct);
                }

                return ended;
            }, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another account took the address between the check and the write; the unique index decided.
            return (RotorError)RotorErrorCodes.EmailTaken;
        }

        if (!changed.TryGetValue(out var revoked, out var error))
        {
            return error;
        }

        mail.Enqueue(new RotorMailJob(RotorMailJob.VerifyEmail, address));
        await store.AddEventAsync(SessionService.Event(AccountEventTypes.EmailChanged, user.Id, sessionId, client, now), cancellationToken);
        MfaLog.EmailChanged(logger, user.Id, revoked);
        return RotorAccounts<TUser>.Info(user);
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Rotor.Accounts.Mfa;
using Rotor.Diagnostics;
using Rotor.Http;
using Rotor.Sessions;
using Rotor.Storage;
using Rotor.Tokens;

namespace Rotor.Accounts;

/// <summary>Re-authentication on <see cref="IRotorAccounts.PasswordSignInAsync"/> and Identity's authenticator provider.</summary>
internal sealed class RotorReauthentication<TUser>(
    UserManager<TUser> users,
    IRotorAccounts accounts,
    MfaCodes<TUser> codes,
    AccountLocks locks,
    SessionService sessions,
    IRotorStore store,
    TimeProvider time,
    ILogger<RotorReauthentication<TUser>> logger) : IRotorReauthentication
    where TUser : IdentityUser, new()
{
    public async Task<RotorOutcome<(RotorUserInfo User, IssuedAccessToken Token)>> ReauthenticateAsync(
        string userId, Guid sessionId, string password, string? code, ClientInfo client, CancellationToken cancellationToken, string? dpopJkt = null)
    {
        if (await users.FindByIdAsync(userId) is not { UserName: { } userName } user)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        // The very path of sign-in, so its lockout, throttling and timing apply; sign-in reads a login with an @
        // as an email address, which an app's own usernames may contain.
        var login = userName.Contains('@', StringComparison.Ordinal) && user.Email is { } email ? email : userName;
        var signIn = await accounts.PasswordSignInAsync(login, password, client, cancellationToken);
        if (!signIn.TryGetValue(out var info, out var error))
        {
            // That refusal comes only after a right password: an unverified address is no doubt about who is here.
            if (error.Code != RotorErrorCodes.EmailNotVerified)
            {
                return error;
            }

            info = RotorAccounts<TUser>.Info(user);
        }
        else if (info.Id != user.Id)
        {
            return (RotorError)RotorErrorCodes.InvalidCredentials;
        }

        if (users.SupportsUserTwoFactor && await users.GetTwoFactorEnabledAsync(user)
            && await CheckCodeAsync(user.Id, code, client, cancellationToken) is { } refused)
        {
            return refused;
        }

        var token = await sessions.ReauthenticateAsync(info, sessionId, cancellationToken, dpopJkt);
        if (token is null)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        await store.AddEventAsync(SessionService.Event(AccountEventTypes.Reauthenticated, user.Id, sessionId, client, time.GetUtcNow()), cancellationToken);
        MfaLog.Reauthenticated(logger, user.Id, sessionId);
        return (info, token.Value);
    }

    private async Task<RotorError?> CheckCodeAsync(string userId, string? code, ClientInfo client, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            // No challenge member: the caller resends the same request with the code.
            return RotorErrorCodes.MfaRequired;
        }

        using var held = await locks.EnterAsync("mfa:" + userId, cancellationToken);
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return RotorErrorCodes.InvalidToken;
        }

        if (await codes.LockedForAsync(user, client, cancellationToken) is { } locked)
        {
            return new RotorError(RotorErrorCodes.LockedOut, locked);
        }

        var now = time.GetUtcNow();
        if (!await codes.VerifyTotpAsync(user, code, cancellationToken))
        {
            // Counted before the events are written: writing them resets the context that tracks the user.
            var failure = SessionService.Event(AccountEventTypes.MfaFailed, user.Id, null, client, now, "wrong authenticator code on re-authentication");
            var wait = await codes.CountFailureAsync(user, client, failure, cancellationToken);
            if (wait is not null)
            {
                RotorLog.LockedOut(logger, user.Id, now + wait.Value);
                return new RotorError(RotorErrorCodes.LockedOut, wait);
            }

            return RotorErrorCodes.MfaCodeInvalid;
        }

        await codes.SucceededAsync(user, client, cancellationToken);
        return null;
    }
}

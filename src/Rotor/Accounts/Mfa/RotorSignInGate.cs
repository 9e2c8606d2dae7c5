using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rotor.Diagnostics;
using Rotor.Http;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Accounts.Mfa;

/// <summary>Identity's confirmation rules and the two-step sign-in, on <see cref="UserManager{TUser}"/>.</summary>
internal sealed class RotorSignInGate<TUser>(
    UserManager<TUser> users,
    IServiceProvider services,
    MfaCodes<TUser> codes,
    AccountSecrets secrets,
    IMfaStore challenges,
    IRotorStore store,
    AccountLocks locks,
    TimeProvider time,
    RotorMetrics metrics,
    ILogger<RotorSignInGate<TUser>> logger) : IRotorSignInGate
    where TUser : IdentityUser, new()
{
    /// <summary>The <c>methods</c> member of <c>mfa_required</c>.</summary>
    public static readonly IReadOnlyList<string> Methods = ["totp", "recovery_code"];

    public async Task<RotorError?> CheckAsync(RotorUserInfo info, string mode, ClientInfo client, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(info.Id);
        if (user is null)
        {
            return RotorErrorCodes.InvalidCredentials;
        }

        if (!await IsConfirmedAsync(user))
        {
            await store.AddEventAsync(SessionService.Event(SecurityEventTypes.LoginFailed, user.Id, null, client, time.GetUtcNow(), "account not confirmed"), cancellationToken);
            metrics.Login(RotorErrorCodes.AccountNotConfirmed);
            MfaLog.NotConfirmed(logger, user.Id);
            return RotorErrorCodes.AccountNotConfirmed;
        }

        // Fails closed: a user with two-step sign-in on never gets a session from the first factor alone, even
        // when the app switched it on without an authenticator (recovery codes still finish the sign-in).
        if (!users.SupportsUserTwoFactor || !await users.GetTwoFactorEnabledAsync(user))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var challenge = MfaChallenges.New(id, out var secret);
        await challenges.AddChallengeAsync(MfaChallenges.Create(secrets, user.Id, mode, secret, await users.GetSecurityStampAsync(user), now, id), cancellationToken);
        metrics.Login(RotorErrorCodes.MfaRequired);
        MfaLog.ChallengeIssued(logger, user.Id);
        return new RotorError(RotorErrorCodes.MfaRequired, Extensions: new Dictionary<string, object?>
        {
            ["challenge"] = challenge,
            ["methods"] = Methods,
        });
    }

    public async Task<RotorOutcome<MfaSignIn>> CompleteAsync(string challenge, string? code, string? recoveryCode, ClientInfo client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!MfaChallenges.TryParse(challenge, out var id, out var secret)
            || await challenges.FindChallengeAsync(id, cancellationToken) is not { } row
            || MfaChallenges.ModeOf(row) is not { } mode
            || row.ConsumedAt is not null || row.ExpiresAt <= now)
        {
            return Refused(RotorErrorCodes.MfaChallengeInvalid);
        }

        // One code at a time per account, so the failures counted toward lockout are exact; the user is read
        // inside, so the count it carries is the current one.
        using var held = await locks.EnterAsync("mfa:" + row.UserId, cancellationToken);
        var user = await users.FindByIdAsync(row.UserId);
        if (user is null || !MfaChallenges.Matches(secrets, row, secret, await users.GetSecurityStampAsync(user)))
        {
            return Refused(RotorErrorCodes.MfaChallengeInvalid);
        }

        if (await codes.LockedForAsync(user, client, cancellationToken) is { } locked)
        {
            metrics.Login(RotorErrorCodes.LockedOut);
            return new RotorError(RotorErrorCodes.LockedOut, locked);
        }

        // Counted before the code is checked, atomically, so parallel guesses cannot exceed the allowance.
        if (!await challenges.TryCountAttemptAsync(id, MfaChallenges.MaxAttempts, now, cancellationToken))
        {
            return Refused(RotorErrorCodes.MfaChallengeInvalid);
        }

        var usingRecovery = code is null;
        var ok = usingRecovery ? await codes.RedeemRecoveryCodeAsync(user, recoveryCode) : await codes.VerifyTotpAsync(user, code, cancellationToken);
        if (!ok)
        {
            // Counted before the events are written: writing them resets the context that tracks the user.
            var failure = SessionService.Event(AccountEventTypes.MfaFailed, user.Id, null, client, now, usingRecovery ? "wrong recovery code" : "wrong authenticator code");
            var wait = await codes.CountFailureAsync(user, client, failure, cancellationToken);
            if (wait is not null)
            {
                RotorLog.LockedOut(logger, user.Id, now + wait.Value);
                metrics.Login(RotorErrorCodes.LockedOut);
                return new RotorError(RotorErrorCodes.LockedOut, wait);
            }

            metrics.Login(RotorErrorCodes.MfaCodeInvalid);
            return Refused(RotorErrorCodes.MfaCodeInvalid);
        }

        if (!await challenges.TryConsumeAsync(id, now, cancellationToken))
        {
            return Refused(RotorErrorCodes.MfaChallengeInvalid);
        }

        // The password step leaves the failure count alone for these users, so that wrong codes add up; the
        // whole sign-in succeeded, so it starts again from zero.
        await codes.SucceededAsync(user, client, cancellationToken);

        if (usingRecovery)
        {
            var left = await users.CountRecoveryCodesAsync(user);
            await store.AddEventAsync(SessionService.Event(AccountEventTypes.RecoveryCodeUsed, user.Id, null, client, now, $"{left} left"), cancellationToken);
            MfaLog.RecoveryCodeUsed(logger, user.Id, left);
        }

        return new MfaSignIn(RotorAccounts<TUser>.Info(user), mode);
    }

    /// <summary>Identity's <see cref="SignInOptions"/>: confirmed email, phone number or account, as the app asked.</summary>
    private async Task<bool> IsConfirmedAsync(TUser user)
    {
        var signIn = users.Options.SignIn;
        if (signIn.RequireConfirmedEmail && !await users.IsEmailConfirmedAsync(user))
        {
            return false;
        }

        if (signIn.RequireConfirmedPhoneNumber && !await users.IsPhoneNumberConfirmedAsync(user))
        {
            return false;
        }

        if (signIn.RequireConfirmedAccount)
        {
            var confirmation = services.GetService<IUserConfirmation<TUser>>() ?? new DefaultUserConfirmation<TUser>();
            return await confirmation.IsConfirmedAsync(users, user);
        }

        return true;
    }

    private RotorError Refused(string code)
    {
        MfaLog.SecondStepRefused(logger, code);
        return code;
    }
}

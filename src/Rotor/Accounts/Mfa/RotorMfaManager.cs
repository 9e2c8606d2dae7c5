using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Contracts;
using Rotor.Http;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Accounts.Mfa;

/// <summary>
/// Two-step sign-in settings on Identity's authenticator key and recovery code stores. Every change of the key or
/// of <c>TwoFactorEnabled</c> changes the security stamp (Identity does it), so each one says which sessions go on.
/// </summary>
internal sealed class RotorMfaManager<TUser>(
    UserManager<TUser> users,
    MfaCodes<TUser> codes,
    IRotorStore store,
    IStoreUnitOfWork unit,
    SessionService sessions,
    TimeProvider time,
    IOptions<RotorOptions> options,
    ILogger<RotorMfaManager<TUser>> logger) : IRotorMfaManager
    where TUser : IdentityUser, new()
{
    public const int RecoveryCodeCount = 10;

    public async Task<RotorOutcome<MfaStatusResponse>> StatusAsync(string userId, CancellationToken cancellationToken)
    {
        codes.EnsureSupported();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        return new MfaStatusResponse(await users.GetTwoFactorEnabledAsync(user), await users.CountRecoveryCodesAsync(user));
    }

    public async Task<RotorOutcome<MfaSetupResponse>> SetupAsync(string userId, Guid? sessionId, ClientInfo client, CancellationToken cancellationToken)
    {
        codes.EnsureSupported();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        // The new key must not work before it is confirmed, and the old one is gone: until enable, sign-in
        // needs the password only (what Identity's own "reset authenticator" does).
        // The stamp changes and the sessions are re-stamped in one transaction, so the revocation poll never sees
        // the new stamp on a session that is meant to go on.
        await unit.RunAsync(async ct =>
        {
            var wasEnabled = await users.GetTwoFactorEnabledAsync(user);
            if (wasEnabled)
            {
                await TurnOffAsync(user);
            }

            Check(await users.ResetAuthenticatorKeyAsync(user), "resetting the authenticator key");

            // No session was begun with the new key, so none has a reason to end.
            await store.RestampAsync(user.Id, null, ct);
            await store.AddEventAsync(SessionService.Event(AccountEventTypes.AuthenticatorReset, user.Id, sessionId, client, time.GetUtcNow(), wasEnabled ? "two-step sign-in off until the new key is confirmed" : null), ct);
            return true;
        }, cancellationToken);

        var key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("The user store did not keep the new authenticator key.");
        return new MfaSetupResponse(FormatKey(key), AuthenticatorUri(key, user.UserName ?? user.Id));
    }

    public async Task<RotorOutcome<RecoveryCodesResponse>> EnableAsync(string userId, Guid? sessionId, string? code, ClientInfo client, CancellationToken cancellationToken)
    {
        codes.EnsureSupported();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        // A typo while enrolling is not an attack on the account (the caller is signed in): not counted toward lockout.
        if (!await codes.VerifyTotpAsync(user, code, cancellationToken))
        {
            return (RotorError)RotorErrorCodes.MfaCodeInvalid;
        }

        var (recovery, revoked) = await unit.RunAsync(async ct =>
        {
            Check(await users.SetTwoFactorEnabledAsync(user, true), "turning two-step sign-in on");
            var codesIssued = await NewRecoveryCodesAsync(user);

            // Sessions begun with the password alone are weaker than the account now is: they end. This one proved
            // the new factor just now, so it goes on with the new stamp.
            var ended = await sessions.RevokeAllAsync(user.Id, sessionId, RevocationReasons.MfaEnabled, client, ct);
            if (sessionId is { } current)
            {
                await store.RestampAsync(user.Id, current, ct);
            }

            await store.AddEventAsync(SessionService.Event(AccountEventTypes.MfaEnabled, user.Id, sessionId, client, time.GetUtcNow()), ct);
            return (codesIssued, ended);
        }, cancellationToken);
        MfaLog.Enabled(logger, user.Id, revoked);
        return new RecoveryCodesResponse(recovery);
    }

    public async Task<RotorOutcome<bool>> DisableAsync(string userId, Guid? sessionId, ClientInfo client, CancellationToken cancellationToken)
    {
        codes.EnsureSupported();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        if (!await users.GetTwoFactorEnabledAsync(user) && string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user)))
        {
            return false;
        }

        await unit.RunAsync(async ct =>
        {
            await TurnOffAsync(user);

            // The old key must not switch it back on without a new setup.
            Check(await users.ResetAuthenticatorKeyAsync(user), "resetting the authenticator key");

            // Every session proved at least the password, which is all the account asks for now: they go on.
            await store.RestampAsync(user.Id, null, ct);
            await store.AddEventAsync(SessionService.Event(AccountEventTypes.MfaDisabled, user.Id, sessionId, client, time.GetUtcNow()), ct);
            return true;
        }, cancellationToken);
        MfaLog.Disabled(logger, user.Id);
        return true;
    }

    public async Task<RotorOutcome<RecoveryCodesResponse>> RegenerateRecoveryCodesAsync(string userId, Guid? sessionId, ClientInfo client, CancellationToken cancellationToken)
    {
        codes.EnsureSupported();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return (RotorError)RotorErrorCodes.InvalidToken;
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return RotorError.Invalid("recoveryCodes", "Turn on two-step sign-in first: recovery codes come with it.");
        }

        var recovery = await NewRecoveryCodesAsync(user);
        await store.AddEventAsync(SessionService.Event(AccountEventTypes.RecoveryCodesRegenerated, user.Id, sessionId, client, time.GetUtcNow()), cancellationToken);
        MfaLog.RecoveryCodesRegenerated(logger, user.Id);
        return new RecoveryCodesResponse(recovery);
    }

    /// <summary><c>sharedKey</c>: the base32 key in lower-case groups of four, as people type it.</summary>
    internal static string FormatKey(string key)
    {
        var text = new StringBuilder(key.Length + (key.Length / 4));
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(i == 0 ? "" : " ").Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return text.ToString().ToLowerInvariant();
    }

    private string AuthenticatorUri(string key, string userName)
    {
        // The name the authenticator app lists the account under: Rotor:Issuer, or its host when it is a URL.
        var issuer = Uri.TryCreate(options.Value.Issuer, UriKind.Absolute, out var url) && url.Host.Length > 0 ? url.Host : options.Value.Issuer;
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(userName);
        return $"otpauth://totp/{label}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6";
    }

    private async Task TurnOffAsync(TUser user)
    {
        Check(await users.SetTwoFactorEnabledAsync(user, false), "turning two-step sign-in off");

        // Zero new codes: the old ones are gone, so a later enable starts clean.
        _ = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0) ?? throw new InvalidOperationException("Removing the recovery codes failed.");
    }

    private async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(TUser user) =>
        (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList()
        ?? throw new InvalidOperationException("Storing new recovery codes failed.");

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Identity refused {what}: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }
}

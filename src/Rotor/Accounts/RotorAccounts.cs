using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Diagnostics;
using Rotor.Email;
using Rotor.Http;
using Rotor.RateLimiting;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Accounts;

/// <summary>Sign-in and registration on ASP.NET Core Identity's <see cref="UserManager{TUser}"/>; passwords are checked by <see cref="PasswordGuard{TUser}"/>.</summary>
internal sealed class RotorAccounts<TUser>(
    UserManager<TUser> users,
    AccountLocks locks,
    PasswordGuard<TUser> guard,
    RotorRateLimiter limiter,
    IRotorStore store,
    TimeProvider time,
    RotorMetrics metrics,
    RotorMailQueue mail,
    IOptions<RotorOptions> options,
    ILogger<RotorAccounts<TUser>> logger) : IRotorAccounts
    where TUser : IdentityUser, new()
{
    public async Task<RotorOutcome<RotorUserInfo>> PasswordSignInAsync(string login, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        var user = login.Contains('@', StringComparison.Ordinal) ? await users.FindByEmailAsync(login.Trim()) : await users.FindByNameAsync(login.Trim());

        // Limits, serialisation and failure counts all key on the account the name or address resolves to, so a
        // username and its email address are one account; a name that matches nobody is its own key.
        var account = user is null ? SignInThrottle.NameAccount(RotorLookupNormalizer.Normalize(login)) : SignInThrottle.UserAccount(user.Id);
        // The per-account limit counts per (account, source) too: keyed on the account alone, anyone sending
        // the limit's worth of tries a minute would keep the owner out for as long as they kept it up. Guessing
        // from many sources is the lockout ceiling's job (SignInThrottle).
        if (await limiter.AccountAsync(RotorRateLimiting.Login, account + "\n" + SignInThrottle.Source(client), cancellationToken) is { } wait)
        {
            metrics.Login(RotorErrorCodes.RateLimited);
            return new RotorError(RotorErrorCodes.RateLimited, wait);
        }

        using var held = await locks.EnterAsync(account, cancellationToken);
        if (await guard.CheckAsync(user, account, password, client, null, "wrong password", cancellationToken) is { } refused)
        {
            metrics.Login(refused.Code);
            RotorLog.SignInFailed(logger, refused.Code == RotorErrorCodes.LockedOut ? " (locked out)" : "");
            return refused;
        }

        // Checked only after the password, so the answer tells nothing to someone who does not know it.
        if (options.Value.RequireEmailVerification && !await users.IsEmailConfirmedAsync(user!))
        {
            await store.AddEventAsync(SessionService.Event(SecurityEventTypes.LoginFailed, user!.Id, null, client, time.GetUtcNow(), "email not verified"), cancellationToken);
            metrics.Login(RotorErrorCodes.EmailNotVerified);
            return (RotorError)RotorErrorCodes.EmailNotVerified;
        }

        return Info(user!);
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
            if (EmailConfirmationPolicy.IsRequired(options.Value, users.Options))
            {
                // The verification is started, and the code made and mailed, by the background queue, off this
                // request's path. Without required verification nothing is started: no code can ever confirm the
                // address, let alone sign in, until the account asks for an address change.
                mail.Enqueue(new RotorMailJob(RotorMailJob.VerifyRegistration, user.Email));
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

    internal static RotorUserInfo Info(TUser user) => new(user.Id, user.UserName, user.Email);
}

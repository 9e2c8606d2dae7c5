using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Rotor.RateLimiting;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Accounts;

/// <summary>
/// Rotor's lockout policy (see <see cref="RotorLockoutOptions"/>): failed passwords lock the source they come from
/// out of one account, with doubling waits; an account guessed at from many sources is slowed, never closed to a
/// source that has not failed. Names that match no account are counted exactly like accounts, under the name, so
/// the answers do not tell which names exist. Identity's own lockout (<c>LockoutEnd</c>) is left to the app.
/// </summary>
internal sealed class SignInThrottle(ISignInFailureStore store, IOptions<IdentityOptions> identity, IOptions<RotorOptions> options, TimeProvider time)
{
    /// <summary>The counted account of a user: one key whether they sign in by name or address.</summary>
    public static string UserAccount(string userId) => "user:" + userId;

    /// <summary>The counted account of a name or address that matches no user.</summary>
    public static string NameAccount(string normalizedLogin) =>
        "name:" + (normalizedLogin.Length > AccountRules.MaxEmailLength ? normalizedLogin[..AccountRules.MaxEmailLength] : normalizedLogin);

    /// <summary>The source failures are counted for: the client address, IPv6 by /64, as the per-address rate limits count it.</summary>
    public static string Source(ClientInfo client) =>
        RotorRateLimiting.ClientKey(IPAddress.TryParse(client.IpAddress, out var address) ? address : null);

    private SignInFailurePolicy Policy
    {
        get
        {
            var lockout = identity.Value.Lockout;
            var rotor = options.Value.Lockout;
            return new(lockout.MaxFailedAccessAttempts, lockout.DefaultLockoutTimeSpan, rotor.MaxLockout, rotor.FailureMemory, rotor.AccountFailureWindow);
        }
    }

    /// <summary>Whether <paramref name="client"/> may try a password for <paramref name="account"/> now.</summary>
    public async Task<SignInGate> CheckAsync(string account, ClientInfo client, CancellationToken cancellationToken)
    {
        var source = Source(client);
        var now = time.GetUtcNow();
        var rows = await store.ReadAsync(account, source, cancellationToken);
        var here = rows.FirstOrDefault(r => r.Source == source);
        if (here?.LockedUntil is { } until && until > now)
        {
            return new SignInGate(source, until - now, true);
        }

        // Past the account's ceiling, a source that failed in the window waits for the window's end; any other
        // source still gets its try, so the owner's right password is enough.
        var everywhere = rows.FirstOrDefault(r => r.Source == RotorSignInFailure.Everywhere);
        var window = options.Value.Lockout.AccountFailureWindow;
        if (here is not null && here.LastFailureAt > now - window && everywhere is not null && Slowed(everywhere.Failures, everywhere.WindowStart, now) is { } wait)
        {
            return new SignInGate(source, wait, true);
        }

        return new SignInGate(source, null, here is not null);
    }

    /// <summary>
    /// Counts a wrong password and stores <paramref name="failure"/> (and a <c>locked_out</c> event when this failure
    /// locks), the same work for every account and every unknown name; returns the wait when the answer is a lockout.
    /// </summary>
    public async Task<TimeSpan?> FailAsync(string account, SignInGate gate, RotorSecurityEvent failure, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var limit = options.Value.Lockout.AccountFailureLimit;
        var counts = await store.RecordAsync(account, gate.Source, Policy, now, c => Events(c, failure, limit), cancellationToken);
        if (counts.LockedUntil is { } until && until > now)
        {
            return until - now;
        }

        return Slowed(counts.AccountFailures, counts.WindowStart, now);
    }

    /// <summary>The password was right: the source's failures are forgotten.</summary>
    public Task SucceededAsync(string account, SignInGate gate, CancellationToken cancellationToken) =>
        gate.HasFailures ? store.ForgetSourceAsync(account, gate.Source, cancellationToken) : Task.CompletedTask;

    /// <summary>The password was reset: every failure counted against the user is forgotten.</summary>
    public Task ForgetUserAsync(string userId, CancellationToken cancellationToken) =>
        store.ForgetAccountAsync(UserAccount(userId), cancellationToken);

    private TimeSpan? Slowed(int accountFailures, DateTimeOffset windowStart, DateTimeOffset now)
    {
        var lockout = options.Value.Lockout;
        var end = windowStart + lockout.AccountFailureWindow;
        return lockout.AccountFailureLimit > 0 && accountFailures >= lockout.AccountFailureLimit && end > now ? end - now : null;
    }

    private static IEnumerable<RotorSecurityEvent> Events(SignInFailureCounts counts, RotorSecurityEvent failure, int limit)
    {
        yield return failure;
        string? why = null;
        if (counts.SourceFailures == 0)
        {
            why = string.Create(CultureInfo.InvariantCulture, $"this address is locked out for {(long)counts.LastLockout.TotalSeconds} s");
        }
        else if (limit > 0 && counts.AccountFailures == limit)
        {
            why = string.Create(CultureInfo.InvariantCulture, $"{limit} failures from all addresses: each address now gets one try");
        }

        if (why is not null)
        {
            yield return new RotorSecurityEvent
            {
                Type = SecurityEventTypes.LockedOut,
                UserId = failure.UserId,
                SessionId = failure.SessionId,
                OccurredAt = failure.OccurredAt,
                IpAddress = failure.IpAddress,
                UserAgent = failure.UserAgent,
                Detail = why,
            };
        }
    }
}

/// <summary>What <see cref="SignInThrottle.CheckAsync"/> decided for one source.</summary>
/// <param name="Source">The source counted.</param>
/// <param name="RetryAfter">When set, the source may not try now: answer 423 with this wait.</param>
/// <param name="HasFailures">Whether the source has failures on record (a success clears them).</param>
internal readonly record struct SignInGate(string Source, TimeSpan? RetryAfter, bool HasFailures);

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Rotor.Accounts;
using Rotor.Contracts;
using Rotor.Diagnostics;
using Rotor.Http;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Admin;

/// <summary><see cref="IRotorAdmin"/> on Identity's <see cref="UserManager{TUser}"/> and Rotor's store.</summary>
internal sealed class RotorAdmin<TUser>(
    UserManager<TUser> users,
    IRotorStore store,
    IAccountTokenStore events,
    IStoreUnitOfWork unit,
    SessionRevocationList revocations,
    PasswordGuard<TUser> guard,
    RotorMetrics metrics,
    TimeProvider time,
    ILogger<RotorAdmin<TUser>> logger) : IRotorAdmin
    where TUser : IdentityUser, new()
{
    public async Task<IReadOnlyList<AdminUserResponse>> SearchAsync(string? query, bool prefix, int skip, int take, CancellationToken cancellationToken)
    {
        var matches = users.Users;
        var normalized = string.IsNullOrWhiteSpace(query) ? null : RotorLookupNormalizer.Normalize(query);
        if (normalized is not null)
        {
            // StartsWith becomes LIKE with the wildcards in the parameter escaped: '%' in a query matches a '%'.
            matches = prefix
                ? matches.Where(u => u.NormalizedUserName!.StartsWith(normalized) || u.NormalizedEmail!.StartsWith(normalized))
                : matches.Where(u => u.NormalizedUserName == normalized || u.NormalizedEmail == normalized);
        }

        var now = time.GetUtcNow();
        var rows = await matches.OrderBy(u => u.NormalizedUserName).ThenBy(u => u.Id).Skip(skip).Take(take)
            .Select(u => new { User = u, LastLoginAt = EF.Property<DateTimeOffset?>(u, RotorModelBuilderExtensions.LastLoginAtProperty) })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => Describe(r.User, r.LastLoginAt, now));
    }

    public async Task<RotorOutcome<AdminUserResponse>> FindAsync(string userId, CancellationToken cancellationToken)
    {
        var row = await users.Users.Where(u => u.Id == userId)
            .Select(u => new { User = u, LastLoginAt = EF.Property<DateTimeOffset?>(u, RotorModelBuilderExtensions.LastLoginAtProperty) })
            .AsNoTracking()
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? (RotorError)RotorErrorCodes.UserNotFound : Describe(row.User, row.LastLoginAt, time.GetUtcNow());
    }

    public async Task<RotorOutcome<IReadOnlyList<RotorSession>>> ListSessionsAsync(string userId, string actor, ClientInfo client, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(userId, cancellationToken))
        {
            return (RotorError)RotorErrorCodes.UserNotFound;
        }

        var now = time.GetUtcNow();
        var list = await store.ListActiveAsync(userId, now, cancellationToken);
        await store.AddEventAsync(Event(AdminEventTypes.Viewed, userId, null, actor, client, now, "sessions"), cancellationToken);
        return RotorOutcome<IReadOnlyList<RotorSession>>.From(list);
    }

    public async Task<RotorOutcome<IReadOnlyList<RotorSecurityEvent>>> ListEventsAsync(
        string userId, long? before, int skip, int take, string actor, ClientInfo client, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(userId, cancellationToken))
        {
            return (RotorError)RotorErrorCodes.UserNotFound;
        }

        // Read first, then log the read: the page shows the log as the admin found it.
        var page = await events.ListEventsAsync(userId, before, skip, take, cancellationToken);
        await store.AddEventAsync(Event(AdminEventTypes.Viewed, userId, null, actor, client, time.GetUtcNow(), "security_log"), cancellationToken);
        return RotorOutcome<IReadOnlyList<RotorSecurityEvent>>.From(page);
    }

    public async Task<RotorOutcome<bool>> RevokeSessionAsync(string userId, Guid sessionId, string actor, ClientInfo client, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(userId, cancellationToken))
        {
            return (RotorError)RotorErrorCodes.UserNotFound;
        }

        using var operation = metrics.StartRevoke(RevocationReasons.RevokedByAdmin).Tag("rotor.session_id", sessionId.ToString("D"));
        var now = time.GetUtcNow();
        var evt = Event(AdminEventTypes.SessionRevoked, userId, sessionId, actor, client, now, RevocationReasons.RevokedByAdmin);
        if (await store.RevokeAsync(sessionId, userId, RevocationReasons.RevokedByAdmin, evt, cancellationToken) is null)
        {
            operation.Complete("not_found");
            return (RotorError)RotorErrorCodes.SessionNotFound;
        }

        operation.Complete("revoked");
        revocations.Add(sessionId, now);
        AdminLog.Acted(logger, actor, AdminEventTypes.SessionRevoked, userId, 1);
        return true;
    }

    public async Task<RotorOutcome<int>> RevokeAllAsync(string userId, string actor, ClientInfo client, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(userId, cancellationToken))
        {
            return (RotorError)RotorErrorCodes.UserNotFound;
        }

        using var operation = metrics.StartRevoke(RevocationReasons.RevokedByAdmin);
        var now = time.GetUtcNow();
        var ended = await store.RevokeAllAsync(userId, null, RevocationReasons.RevokedByAdmin,
            Event(AdminEventTypes.SessionsRevoked, userId, null, actor, client, now, RevocationReasons.RevokedByAdmin), cancellationToken);
        operation.Tag("rotor.revoked", ended.Count).Complete("revoked");
        return Ended(ended, now, actor, AdminEventTypes.SessionsRevoked, userId);
    }

    public async Task<RotorOutcome<int>> LockAsync(string userId, string actor, ClientInfo client, CancellationToken cancellationToken)
    {
        if (userId == actor)
        {
            // The last admin locking themselves out leaves nobody to unlock them.
            return RotorError.Invalid("id", "You cannot lock your own account.");
        }

        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return (RotorError)RotorErrorCodes.UserNotFound;
        }

        var now = time.GetUtcNow();
        var outcome = await unit.RunAsync<RotorOutcome<IReadOnlyList<Guid>>>(async ct =>
        {
            // Identity's lockout, as an app would set it: sign-in refuses it whatever the password, a password reset
            // does not lift it, and the revocation rules treat it as the account changing.
            if (!(await users.SetLockoutEnabledAsync(user, true)).Succeeded || !(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue)).Succeeded)
            {
                return Busy();
            }

            var ended = await store.RevokeAllAsync(userId, null, RevocationReasons.LockedByAdmin,
                Event(AdminEventTypes.Locked, userId, null, actor, client, now, RevocationReasons.LockedByAdmin), ct);
            return RotorOutcome<IReadOnlyList<Guid>>.From(ended);
        }, cancellationToken);
        return outcome.TryGetValue(out var ids, out var error) ? Ended(ids, now, actor, AdminEventTypes.Locked, userId) : error;
    }

    public async Task<RotorOutcome<bool>> UnlockAsync(string userId, string actor, ClientInfo client, CancellationToken cancellationToken)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return (RotorError)RotorErrorCodes.UserNotFound;
        }

        var now = time.GetUtcNow();
        var outcome = await unit.RunAsync<RotorOutcome<bool>>(async ct =>
        {
            if (!(await users.SetLockoutEndDateAsync(user, null)).Succeeded || !(await users.ResetAccessFailedCountAsync(user)).Succeeded)
            {
                return Busy();
            }

            await store.AddEventAsync(Event(AdminEventTypes.Unlocked, userId, null, actor, client, now), ct);
            return true;
        }, cancellationToken);
        if (outcome.Succeeded)
        {
            // Rotor's own failure counts too, or the account would stay slowed down after its unlock.
            await guard.ForgetFailuresAsync(userId, cancellationToken);
            AdminLog.Acted(logger, actor, AdminEventTypes.Unlocked, userId, 0);
        }

        return outcome;
    }

    private static AdminUserResponse Describe(TUser user, DateTimeOffset? lastLoginAt, DateTimeOffset now) => new(
        user.Id,
        user.UserName,
        user.Email,
        user.EmailConfirmed,
        user.LockoutEnabled && user.LockoutEnd > now ? user.LockoutEnd : null,
        lastLoginAt,
        user.TwoFactorEnabled);

    /// <summary>Identity refused an update: another request changed the user at the same moment (its concurrency stamp).</summary>
    private static RotorError Busy() => new(RotorErrorCodes.ServiceUnavailable, TimeSpan.FromSeconds(1));

    private static RotorSecurityEvent Event(string type, string userId, Guid? sessionId, string actor, ClientInfo client, DateTimeOffset now, string? detail = null)
    {
        var evt = SessionService.Event(type, userId, sessionId, client, now, detail);
        evt.ActorId = actor;
        return evt;
    }

    private Task<bool> ExistsAsync(string userId, CancellationToken cancellationToken) =>
        users.Users.AnyAsync(u => u.Id == userId, cancellationToken);

    private int Ended(IReadOnlyList<Guid> ended, DateTimeOffset now, string actor, string action, string userId)
    {
        foreach (var id in ended)
        {
            revocations.Add(id, now);
        }

        AdminLog.Acted(logger, actor, action, userId, ended.Count);
        return ended.Count;
    }
}

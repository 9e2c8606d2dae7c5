using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Rotor.Diagnostics;
using Rotor.Sessions;

namespace Rotor.Storage;

/// <summary>The EF Core implementation of <see cref="IRotorStore"/>, for any relational provider.</summary>
internal sealed class EfRotorStore<TContext, TUser> : IRotorStore
    where TContext : DbContext
    where TUser : IdentityUser
{
    private static RotorSql? s_sql;

    private readonly TContext _db;
    private readonly StoreWriteGate _gate;
    private readonly IRotationExecutor _rotations;

    private readonly RotorMetrics _metrics;

    public EfRotorStore(TContext db, StoreWriteGate gate, IRotationExecutor rotations, RotorMetrics metrics)
    {
        _db = db;
        _gate = gate;
        _rotations = rotations;
        _metrics = metrics;
    }

    private DbSet<RotorSession> Sessions => _db.Set<RotorSession>();

    private DbSet<RotorSecurityEvent> Events => _db.Set<RotorSecurityEvent>();

    private DbSet<RotorRevocation> Revocations => _db.Set<RotorRevocation>();

    private RotorSql Sql => s_sql ??= RotorSql.Create(_db, typeof(TUser));

    public async Task CreateSessionAsync(RotorSession session, RotorSecurityEvent signIn, Guid? replaces, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
        if (replaces is { } old)
        {
            await RevokeCoreAsync(old, null, RevocationReasons.Replaced, session.CreatedAt, cancellationToken);
        }

        Sessions.Add(session);
        Events.Add(signIn);
        await _db.SaveChangesAsync(cancellationToken);
        await RestampCoreAsync(session.UserId, session.Id, cancellationToken);
        await _db.Set<TUser>()
            .Where(u => u.Id == session.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<DateTimeOffset?>(u, RotorModelBuilderExtensions.LastLoginAtProperty), session.CreatedAt), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _db.ChangeTracker.Clear();
    }

    public async Task<RotationOutcome> RotateAsync(RotationRequest request, CancellationToken cancellationToken)
    {
        using var operation = _metrics.StartRotation();
        var sql = Sql;
        var rotated = await _rotations.RotateAsync(sql, _db, request, cancellationToken);
        var outcome = rotated ?? await RunAsync(sql.Classify, c => sql.BindClassify(c, request), EfRotorStoreReader.ReadClassificationAsync, cancellationToken);
        operation.Complete(outcome.Kind switch
        {
            RotationKind.Rotated => "rotated",
            RotationKind.Grace => "grace",
            RotationKind.Reused => "reused",
            RotationKind.Revoked => "revoked",
            RotationKind.Expired => "expired",
            RotationKind.AccountUnavailable => "account_unavailable",
            _ => "invalid",
        });
        return outcome;
    }

    public async Task<string?> RevokeAsync(Guid sessionId, string? userId, string reason, RotorSecurityEvent evt, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
        var owner = await Sessions.Where(s => s.Id == sessionId && s.RevokedAt == null).Select(s => s.UserId).FirstOrDefaultAsync(cancellationToken);
        var revoked = owner is not null && (userId is null || owner == userId)
            && await RevokeCoreAsync(sessionId, owner, reason, evt.OccurredAt, cancellationToken);
        if (revoked)
        {
            // The event belongs to the session's owner even when the caller only held its refresh token.
            evt.UserId = owner;
            Events.Add(evt);
            await _db.SaveChangesAsync(cancellationToken);
            _db.ChangeTracker.Clear();
        }

        await transaction.CommitAsync(cancellationToken);
        return revoked ? owner : null;
    }

    public async Task RestampAsync(string userId, Guid? sessionId, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        await RestampCoreAsync(userId, sessionId, cancellationToken);
    }

    public async Task<bool> MarkAuthenticatedAsync(Guid sessionId, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        var marked = await Sessions
            .Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now && s.IdleExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.AuthenticatedAt, now), cancellationToken);
        return marked == 1;
    }

    public async Task<(IReadOnlyList<(Guid SessionId, string UserId)> Ended, Guid? SweepNext)> RevokeInvalidatedAsync(
        DateTimeOffset now, RotorSecurityEvent template, Guid sweepAfter, CancellationToken cancellationToken)
    {
        var sql = Sql;
        var reason = RevocationReasons.AccountChanged;
        using var gate = await _gate.EnterAsync(cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
        var ended = new List<(Guid SessionId, string UserId)>();
        if (RecordsAccountChanges())
        {
            // The sessions of users recorded as changed: the cost follows the changes, not the number of sessions.
            // Taking (deleting) the rows in this transaction means one instance handles each change.
            IReadOnlyList<string> users;
            do
            {
                users = await RunAsync(sql.TakeAccountChanges, _ => { }, EfRotorStoreReader.ReadStringsAsync, cancellationToken);
                var distinct = users.Distinct(StringComparer.Ordinal).ToList();
                if (distinct.Count > 0)
                {
                    ended.AddRange(await RunAsync(sql.RevokeInvalidatedOf(distinct.Count), c => sql.BindRevokeInvalidatedOf(c, now, reason, distinct), ReadEndedAsync, cancellationToken));
                }
            }
            while (users.Count == RotorSql.AccountChangeBatch);
        }

        // One page of the sweep that checks every session against its user in id order, for changes nothing recorded: a
        // bounded statement per poll (never one that reads the whole table and holds back vacuum while it does).
        var upto = await RunAsync(sql.SweepPageEnd, c => sql.BindSweepPage(c, sweepAfter, sweepAfter), EfRotorStoreReader.ReadGuidAsync, cancellationToken);
        if (upto is null && sweepAfter != Guid.Empty)
        {
            // Past the last session: start again at once, so a table of one page is checked whole on every poll.
            sweepAfter = Guid.Empty;
            upto = await RunAsync(sql.SweepPageEnd, c => sql.BindSweepPage(c, sweepAfter, sweepAfter), EfRotorStoreReader.ReadGuidAsync, cancellationToken);
        }

        if (upto is { } end)
        {
            ended.AddRange(await RunAsync(sql.RevokeInvalidatedPage, c =>
            {
                sql.BindRevokeInvalidated(c, now, reason);
                sql.BindSweepPage(c, sweepAfter, end);
            }, ReadEndedAsync, cancellationToken));
        }

        foreach (var (sessionId, userId) in ended)
        {
            Events.Add(new RotorSecurityEvent
            {
                Type = template.Type,
                UserId = userId,
                SessionId = sessionId,
                OccurredAt = now,
                Detail = template.Detail,
            });
        }

        await _db.SaveChangesAsync(cancellationToken);
        _db.ChangeTracker.Clear();
        await transaction.CommitAsync(cancellationToken);
        return (ended, upto);
    }

    public async Task<IReadOnlyList<Guid>> RevokeAllAsync(string userId, Guid? except, string reason, RotorSecurityEvent evt, CancellationToken cancellationToken)
    {
        var now = evt.OccurredAt;
        using var gate = await _gate.EnterAsync(cancellationToken);
        // Joins a password change's or reset's unit of work, which then commits the revocation with the new hash.
        await using var transaction = await StoreTransaction.BeginAsync(_db, cancellationToken);
        var live = Sessions.Where(s => s.UserId == userId && s.RevokedAt == null);
        if (except is { } keep)
        {
            live = live.Where(s => s.Id != keep);
        }

        var ids = await live.Select(s => s.Id).ToListAsync(cancellationToken);
        if (ids.Count > 0)
        {
            await Sessions.Where(s => ids.Contains(s.Id) && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevocationReason, reason), cancellationToken);
        }

        Events.Add(evt);
        await _db.SaveChangesAsync(cancellationToken);
        _db.ChangeTracker.Clear();
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    public async Task<IReadOnlyList<RotorSession>> ListActiveAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await Sessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now && s.IdleExpiresAt > now)
            .OrderByDescending(s => s.LastUsedAt)
            .ToListAsync(cancellationToken);

    public async Task AddEventAsync(RotorSecurityEvent evt, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        Events.Add(evt);
        await _db.SaveChangesAsync(cancellationToken);
        _db.ChangeTracker.Clear();
    }

    public async Task<IReadOnlyList<RotorSecurityEvent>> ListEventsAsync(string userId, long? before, int take, CancellationToken cancellationToken)
    {
        var query = Events.AsNoTracking().Where(e => e.UserId == userId);
        if (before is { } id)
        {
            query = query.Where(e => e.Id < id);
        }

        return await query.OrderByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(Guid SessionId, DateTimeOffset RevokedAt)>> RevokedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var rows = await Sessions.AsNoTracking()
            .Where(s => s.RevokedAt >= since)
            .Select(s => new { s.Id, s.RevokedAt })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => (r.Id, r.RevokedAt!.Value));
    }

    public async Task<long> LastRevocationSequenceAsync(CancellationToken cancellationToken) =>
        await Revocations.MaxAsync(r => (long?)r.Sequence, cancellationToken) ?? 0;

    public async Task<IReadOnlyList<RotorRevocation>> RevocationsAfterAsync(long sequence, CancellationToken cancellationToken) =>
        await Revocations.AsNoTracking().Where(r => r.Sequence > sequence).OrderBy(r => r.Sequence).ToListAsync(cancellationToken);

    public async Task<int> PurgeAsync(DateTimeOffset endedBefore, DateTimeOffset revocationsBefore, DateTimeOffset eventsBefore, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        // Ended sessions are kept as long as revoked ones, so a late replay still gets an exact answer.
        var sessions = await Sessions
            .Where(s => s.ExpiresAt <= endedBefore || s.IdleExpiresAt <= endedBefore || s.RevokedAt <= endedBefore)
            .ExecuteDeleteAsync(cancellationToken);
        var events = await Events.Where(e => e.OccurredAt < eventsBefore).ExecuteDeleteAsync(cancellationToken);
        // The log only serves instances catching up on revocations whose access tokens may still be alive.
        var log = await Revocations.Where(r => r.RevokedAt < revocationsBefore).ExecuteDeleteAsync(cancellationToken);
        return sessions + events + log;
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        // A plain read, outside the write gate and any transaction: an anonymous probe must not queue behind
        // rotations or take the write lock they need (WAL readers never wait for a writer).
        await Sessions.AnyAsync(cancellationToken);
    }

    private bool RecordsAccountChanges() =>
        _db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.Any(i => i is RotorAccountChangeInterceptor) == true;

    private async Task<T> RunAsync<T>(string text, Action<DbCommand> bind, Func<DbCommand, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await _db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = _db.Database.GetDbConnection().CreateCommand();
            command.CommandText = text;
            command.Transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
            bind(command);
            return await read(command, cancellationToken);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    private Task<int> RestampCoreAsync(string userId, Guid? sessionId, CancellationToken cancellationToken)
    {
        var sql = Sql;
        return RunAsync(sql.Restamp, c => sql.BindRestamp(c, userId, sessionId), (c, ct) => c.ExecuteNonQueryAsync(ct), cancellationToken);
    }

    private static async Task<IReadOnlyList<(Guid, string)>> ReadEndedAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var ended = new List<(Guid, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ended.Add((reader.GetFieldValue<Guid>(0), reader.GetString(1)));
        }

        return ended;
    }

    private async Task<bool> RevokeCoreAsync(Guid sessionId, string? userId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var query = Sessions.Where(s => s.Id == sessionId && s.RevokedAt == null);
        if (userId is not null)
        {
            query = query.Where(s => s.UserId == userId);
        }

        return await query.ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevocationReason, reason), cancellationToken) > 0;
    }
}

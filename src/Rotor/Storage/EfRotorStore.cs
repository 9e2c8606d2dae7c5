using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
    private readonly SqliteRotationBatcher _batcher;
    private readonly bool _serialiseWrites;

    public EfRotorStore(TContext db, StoreWriteGate gate, SqliteRotationBatcher batcher)
    {
        _db = db;
        _gate = gate;
        _batcher = batcher;
        _serialiseWrites = db.Database.ProviderName?.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) == true;
    }

    private DbSet<RotorSession> Sessions => _db.Set<RotorSession>();

    private DbSet<RotorSecurityEvent> Events => _db.Set<RotorSecurityEvent>();

    private RotorSql Sql => s_sql ??= RotorSql.Create(_db, typeof(TUser));

    public async Task CreateSessionAsync(RotorSession session, RotorSecurityEvent signIn, Guid? replaces, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(_serialiseWrites, cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
        if (replaces is { } old)
        {
            await RevokeCoreAsync(old, null, RevocationReasons.Replaced, session.CreatedAt, cancellationToken);
        }

        Sessions.Add(session);
        Events.Add(signIn);
        await _db.SaveChangesAsync(cancellationToken);
        await _db.Set<TUser>()
            .Where(u => u.Id == session.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<DateTimeOffset?>(u, RotorModelBuilderExtensions.LastLoginAtProperty), session.CreatedAt), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _db.ChangeTracker.Clear();
    }

    public async Task<RotationResult?> TryRotateAsync(Guid sessionId, long generation, DateTimeOffset now, DateTimeOffset idleExpiresAt, CancellationToken cancellationToken)
    {
        var sql = Sql;
        if (_serialiseWrites)
        {
            return await _batcher.RotateAsync(sql, _db.Database.GetDbConnection(), _db.Database.GetConnectionString()!, sessionId, generation, now, idleExpiresAt);
        }

        await _db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = _db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql.Rotate;
            command.Transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
            sql.BindRotate(command, sessionId, generation, now, idleExpiresAt);
            return await EfRotorStoreReader.ReadRotationAsync(command, cancellationToken);
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    public Task<SessionSnapshot?> FindAsync(Guid sessionId, CancellationToken cancellationToken) =>
        (from s in Sessions.AsNoTracking()
         where s.Id == sessionId
         join u in _db.Set<TUser>() on s.UserId equals u.Id into users
         from u in users.DefaultIfEmpty()
         select new SessionSnapshot(s.Id, s.UserId, s.Generation, s.ExpiresAt, s.IdleExpiresAt, s.RotatedAt, s.RevokedAt, s.RevocationReason, u!.UserName, u.Email))
        .FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> RevokeAsync(Guid sessionId, string? userId, string reason, RotorSecurityEvent evt, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(_serialiseWrites, cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
        var revoked = await RevokeCoreAsync(sessionId, userId, reason, evt.OccurredAt, cancellationToken);
        if (revoked)
        {
            Events.Add(evt);
            await _db.SaveChangesAsync(cancellationToken);
            _db.ChangeTracker.Clear();
        }

        await transaction.CommitAsync(cancellationToken);
        return revoked;
    }

    public async Task<IReadOnlyList<Guid>> RevokeAllAsync(string userId, Guid? except, string reason, RotorSecurityEvent evt, CancellationToken cancellationToken)
    {
        var now = evt.OccurredAt;
        using var gate = await _gate.EnterAsync(_serialiseWrites, cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
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
        using var gate = await _gate.EnterAsync(_serialiseWrites, cancellationToken);
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

    public async Task<int> PurgeAsync(DateTimeOffset endedBefore, DateTimeOffset eventsBefore, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(_serialiseWrites, cancellationToken);
        // Ended sessions are kept as long as revoked ones, so a late replay still gets an exact answer.
        var sessions = await Sessions
            .Where(s => s.ExpiresAt <= endedBefore || s.IdleExpiresAt <= endedBefore || s.RevokedAt <= endedBefore)
            .ExecuteDeleteAsync(cancellationToken);
        var events = await Events.Where(e => e.OccurredAt < eventsBefore).ExecuteDeleteAsync(cancellationToken);
        return sessions + events;
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        // A plain read, outside the write gate and any transaction: an anonymous probe must not queue behind
        // rotations or take the write lock they need (WAL readers never wait for a writer).
        await Sessions.AnyAsync(cancellationToken);
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

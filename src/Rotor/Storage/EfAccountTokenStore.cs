using Microsoft.EntityFrameworkCore;

namespace Rotor.Storage;

/// <summary>The EF Core implementation of <see cref="IAccountTokenStore"/>, on the app's context.</summary>
internal sealed class EfAccountTokenStore<TContext> : IAccountTokenStore
    where TContext : DbContext
{
    /// <summary>Used and expired tokens are kept this long, so a second use still reads as "used" rather than "unknown".</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private readonly TContext _db;
    private readonly StoreWriteGate _gate;
    private readonly bool _serialiseWrites;

    public EfAccountTokenStore(TContext db, StoreWriteGate gate)
    {
        _db = db;
        _gate = gate;
        _serialiseWrites = db.Database.ProviderName?.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) == true;
    }

    private DbSet<RotorAccountToken> Tokens => _db.Set<RotorAccountToken>();

    public async Task IssueAsync(RotorAccountToken token, CancellationToken cancellationToken)
    {
        var now = token.CreatedAt;
        var stale = now - Retention;
        using var gate = await _gate.EnterAsync(_serialiseWrites, cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
        await Tokens.Where(t => t.UserId == token.UserId && t.Purpose == token.Purpose && t.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);

        // Each issue also sweeps tokens that ended long ago, so the table stays small without a job of its own.
        await Tokens.Where(t => t.ExpiresAt < stale || t.ConsumedAt < stale).ExecuteDeleteAsync(cancellationToken);
        Tokens.Add(token);
        await _db.SaveChangesAsync(cancellationToken);
        _db.ChangeTracker.Clear();
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<RotorAccountToken?> FindLatestAsync(string userId, string purpose, CancellationToken cancellationToken) =>
        Tokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.Purpose == purpose)
            .OrderByDescending(t => t.ConsumedAt == null)
            .ThenByDescending(t => t.CreatedAt)
            .ThenByDescending(t => t.Id)
            .FirstOrDefaultAsync(cancellationToken);

    public Task<RotorAccountToken?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);

    public async Task<bool> TryCountAttemptAsync(Guid id, int maxAttempts, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(_serialiseWrites, cancellationToken);
        var counted = await Tokens.Where(t => t.Id == id && t.ConsumedAt == null && t.Attempts < maxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Attempts, t => t.Attempts + 1), cancellationToken);
        return counted == 1;
    }

    public async Task<bool> TryConsumeAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(_serialiseWrites, cancellationToken);
        var consumed = await Tokens.Where(t => t.Id == id && t.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);
        return consumed == 1;
    }

    public async Task ConsumeAllAsync(string userId, string purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(_serialiseWrites, cancellationToken);
        await Tokens.Where(t => t.UserId == userId && t.Purpose == purpose && t.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);
    }

    public async Task<IReadOnlyList<RotorSecurityEvent>> ListEventsAsync(string userId, long? before, int skip, int take, CancellationToken cancellationToken)
    {
        var query = _db.Set<RotorSecurityEvent>().AsNoTracking().Where(e => e.UserId == userId);
        if (before is { } id)
        {
            query = query.Where(e => e.Id < id);
        }

        return await query.OrderByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
    }
}

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

    public EfAccountTokenStore(TContext db, StoreWriteGate gate)
    {
        _db = db;
        _gate = gate;
    }

    private DbSet<RotorAccountToken> Tokens => _db.Set<RotorAccountToken>();

    private DbSet<RotorEmailVerification> Verifications => _db.Set<RotorEmailVerification>();

    private DbSet<RotorCodeBudget> Budgets => _db.Set<RotorCodeBudget>();

    public async Task IssueAsync(RotorAccountToken token, CancellationToken cancellationToken)
    {
        var now = token.CreatedAt;
        var stale = now - Retention;
        using var gate = await _gate.EnterAsync(cancellationToken);
        await using var transaction = await StoreTransaction.BeginAsync(_db, cancellationToken);
        await Tokens.Where(t => t.UserId == token.UserId && t.Purpose == token.Purpose && t.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);

        // Each issue also sweeps tokens that ended long ago and budgets idle for a day, so the tables stay small
        // without a job of their own.
        await Tokens.Where(t => t.ExpiresAt < stale || t.ConsumedAt < stale).ExecuteDeleteAsync(cancellationToken);
        await Budgets.Where(b => b.UpdatedAt < stale && (b.BlockedUntil == null || b.BlockedUntil < now)).ExecuteDeleteAsync(cancellationToken);
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

    public async Task<bool> TryConsumeAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        var consumed = await Tokens.Where(t => t.Id == id && t.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);
        return consumed == 1;
    }

    public async Task ConsumeAllAsync(string userId, string purpose, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        await Tokens.Where(t => t.UserId == userId && t.Purpose == purpose && t.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);
    }

    public Task<RotorEmailVerification?> FindVerificationAsync(string userId, CancellationToken cancellationToken) =>
        Verifications.AsNoTracking().FirstOrDefaultAsync(v => v.UserId == userId, cancellationToken);

    public async Task StartVerificationAsync(RotorEmailVerification verification, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        await using var transaction = await StoreTransaction.BeginAsync(_db, cancellationToken);
        await Verifications.Where(v => v.UserId == verification.UserId).ExecuteDeleteAsync(cancellationToken);
        Verifications.Add(verification);
        await _db.SaveChangesAsync(cancellationToken);
        _db.ChangeTracker.Clear();
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task EndVerificationAsync(string userId, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        await Verifications.Where(v => v.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    public Task<RotorCodeBudget?> FindBudgetAsync(string key, CancellationToken cancellationToken) =>
        Budgets.AsNoTracking().FirstOrDefaultAsync(b => b.Key == key, cancellationToken);

    public async Task SaveBudgetAsync(RotorCodeBudget budget, int? readVersion, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        if (readVersion is not { } version)
        {
            // A first wrong code for an address (which anyone can send for any address) also sweeps budgets idle
            // for a day, so they cannot pile up; a concurrent first failure for the same address loses on the key.
            var now = budget.UpdatedAt;
            var stale = now - Retention;
            await Budgets.Where(b => b.UpdatedAt < stale && (b.BlockedUntil == null || b.BlockedUntil < now)).ExecuteDeleteAsync(cancellationToken);
            budget.Version = 1;
            Budgets.Add(budget);
            try
            {
                await _db.SaveChangesAsync(cancellationToken);
            }
            finally
            {
                _db.ChangeTracker.Clear();
            }

            return;
        }

        var updated = await Budgets.Where(b => b.Key == budget.Key && b.Version == version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Failures, budget.Failures)
                .SetProperty(b => b.WindowStartedAt, budget.WindowStartedAt)
                .SetProperty(b => b.BlockedUntil, budget.BlockedUntil)
                .SetProperty(b => b.Strikes, budget.Strikes)
                .SetProperty(b => b.UpdatedAt, budget.UpdatedAt)
                .SetProperty(b => b.Version, version + 1), cancellationToken);
        if (updated != 1)
        {
            throw new DbUpdateConcurrencyException("The code budget changed during the check.");
        }
    }

    public async Task DeleteBudgetAsync(string key, int readVersion, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        if (await Budgets.Where(b => b.Key == key && b.Version == readVersion).ExecuteDeleteAsync(cancellationToken) != 1)
        {
            throw new DbUpdateConcurrencyException("The code budget changed during the check.");
        }
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

using Microsoft.EntityFrameworkCore;

namespace Rotor.Storage;

/// <summary>
/// The EF Core <see cref="IStoreUnitOfWork"/>. On SQLite it holds the process's write gate for the whole unit
/// (the transaction is BEGIN IMMEDIATE, so it owns the database's write lock from the start); the stores' own
/// writes inside it neither wait for the gate again nor open a second transaction.
/// </summary>
/// <remarks>
/// Keep slow work (password hashing) out of the unit: every other writer waits for it. The unit is not retried,
/// so a provider execution strategy that retries on transient errors does not apply inside it: a failure rolls
/// everything back and surfaces as 503 "nothing was changed", which is then true.
/// </remarks>
internal sealed class EfStoreUnitOfWork<TContext> : IStoreUnitOfWork
    where TContext : DbContext
{
    private readonly TContext _db;
    private readonly StoreWriteGate _gate;

    public EfStoreUnitOfWork(TContext db, StoreWriteGate gate)
    {
        _db = db;
        _gate = gate;
    }

    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _gate.HoldAsync(async () =>
        {
            if (_db.Database.CurrentTransaction is not null)
            {
                // Already inside a unit: the outer one commits.
                return await work(cancellationToken);
            }

            await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await work(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            finally
            {
                // Entities tracked by a rolled-back unit must not be saved by a later call in this scope.
                _db.ChangeTracker.Clear();
            }
        }, cancellationToken);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rotor.Storage;

/// <summary>
/// A store method's transaction: its own when none is open, otherwise it joins the open one (a unit of work's),
/// whose owner commits or rolls back the whole.
/// </summary>
internal readonly struct StoreTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction? _owned;

    private StoreTransaction(IDbContextTransaction? owned) => _owned = owned;

    public static async Task<StoreTransaction> BeginAsync(DbContext db, CancellationToken cancellationToken) =>
        new(db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null);

    public Task CommitAsync(CancellationToken cancellationToken) => _owned?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}

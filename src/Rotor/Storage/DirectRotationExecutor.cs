using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rotor.Storage;

/// <summary>
/// One compare-and-swap statement on the request's own context and connection, in autocommit: it needs no
/// transaction, row lock held across round trips or retry, so it is correct under READ COMMITTED with any number
/// of instances (a concurrent swap of the same row re-checks the condition and finds the generation moved on).
/// </summary>
internal sealed class DirectRotationExecutor : IRotationExecutor
{
    public async Task<RotationOutcome?> RotateAsync(RotorSql sql, DbContext db, RotationRequest request, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql.Rotate;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            sql.BindRotate(command, request);
            return await EfRotorStoreReader.ReadRotationAsync(command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}

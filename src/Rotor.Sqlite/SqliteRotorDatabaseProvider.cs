using Microsoft.EntityFrameworkCore;
using Rotor.Storage;

namespace Rotor.Sqlite;

/// <summary>SQLite: one writer at a time, so this process queues its writes; the WAL journal is set after migrating.</summary>
internal sealed class SqliteRotorDatabaseProvider : IRotorDatabaseProvider
{
    public string Name => "Sqlite";

    public bool SerialisesWrites => true;

    public async Task PrepareAsync(DbContext db, CancellationToken cancellationToken)
    {
        // WAL lets readers run beside the single writer; the setting is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
    }
}

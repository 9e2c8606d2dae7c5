using Microsoft.EntityFrameworkCore;
using Rotor.Storage;

namespace Rotor.PostgreSql;

/// <summary>
/// PostgreSQL: row-level concurrency, so writes are not queued in the process, and every Rotor statement is a
/// single compare-and-swap or upsert that is correct under READ COMMITTED across instances. After migrating, it
/// installs the revocation trigger (<see cref="PostgreSqlRevocationTrigger"/>) that instant revocation listens to.
/// </summary>
internal sealed class PostgreSqlRotorDatabaseProvider : IRotorDatabaseProvider
{
    public string Name => "PostgreSql";

    public bool SerialisesWrites => false;

    public Task PrepareAsync(DbContext db, CancellationToken cancellationToken) => PostgreSqlRevocationTrigger.InstallAsync(db, cancellationToken);
}

using Microsoft.EntityFrameworkCore;

namespace Rotor.Storage;

/// <summary>
/// What a database provider package (Rotor.Sqlite, Rotor.PostgreSql) tells Rotor about its database, so the core
/// stays free of provider checks. Without one, Rotor runs on any relational EF Core provider with no write
/// serialisation and one compare-and-swap statement per rotation.
/// </summary>
public interface IRotorDatabaseProvider
{
    /// <summary>The provider's name, for logs and diagnostics (<c>Sqlite</c>, <c>PostgreSql</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Whether this process should queue its own writes (a single-writer database such as SQLite, where waiting in
    /// the process is far cheaper than the database's busy handling). Databases with row-level concurrency say false.
    /// </summary>
    bool SerialisesWrites { get; }

    /// <summary>Runs once after the migrations on start-up (for example SQLite's journal mode, stored in the file).</summary>
    Task PrepareAsync(DbContext db, CancellationToken cancellationToken);
}

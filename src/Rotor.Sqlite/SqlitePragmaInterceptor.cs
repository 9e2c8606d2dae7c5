using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rotor.Sqlite;

/// <summary>
/// Per-connection SQLite settings. With the WAL journal (set once, on migration), <c>synchronous=NORMAL</c>
/// keeps every committed transaction across a crash of the server process (only an OS crash or power loss
/// can drop the last ones) while sparing an fsync per commit; <c>busy_timeout</c> lets SQLite wait for
/// another process's write instead of failing at once.
/// </summary>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=1000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

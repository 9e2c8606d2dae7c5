using Microsoft.EntityFrameworkCore;
using Rotor.Storage;

namespace Rotor.Sqlite;

/// <summary>
/// SQLite: one writer at a time, so this process queues its writes; the WAL journal is set after migrating, and the
/// revocation log's trigger installed (the rule every provider keeps: the database itself logs each session whose
/// <c>RevokedAt</c> goes from null to a value, whichever statement did it). One instance needs no notification: it
/// learns its own revocations in process, and the revocation poll reads what other processes on the file revoked.
/// </summary>
internal sealed class SqliteRotorDatabaseProvider : IRotorDatabaseProvider
{
    public string Name => "Sqlite";

    public bool SerialisesWrites => true;

    public async Task PrepareAsync(DbContext db, CancellationToken cancellationToken)
    {
        // WAL lets readers run beside the single writer; the setting is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        var n = RevocationLogNames.Create(db);
        // IF NOT EXISTS makes it one statement that two processes starting together may both run.
        var trigger =
            $"CREATE TRIGGER IF NOT EXISTS rotor_session_revoked_v1 AFTER UPDATE OF {n.SessionRevokedAt} ON {n.Sessions} " +
            $"WHEN OLD.{n.SessionRevokedAt} IS NULL AND NEW.{n.SessionRevokedAt} IS NOT NULL " +
            $"BEGIN INSERT INTO {n.Log} ({n.LogSessionId}, {n.LogRevokedAt}) VALUES (NEW.{n.SessionId}, NEW.{n.SessionRevokedAt}); END;";
        await db.Database.ExecuteSqlRawAsync(trigger, cancellationToken).ConfigureAwait(false);
    }
}

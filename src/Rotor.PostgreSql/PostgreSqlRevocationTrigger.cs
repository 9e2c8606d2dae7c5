using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rotor.Storage;

namespace Rotor.PostgreSql;

/// <summary>
/// The one place every revocation is noticed: a trigger on <c>rotor_sessions</c> that fires when <c>RevokedAt</c> goes
/// from null to a value, whichever statement did it (sign-out, sign-out everywhere, reuse decided inside the rotation
/// SQL, a password change, the account-changed poll, an operator's own UPDATE). It appends the revocation to
/// <c>rotor_revocations</c> (its sequence is the catch-up position) and sends <c>pg_notify</c>, which PostgreSQL
/// delivers to listeners only when the revoking transaction commits, so no instance hears of a revocation that
/// could still roll back. Installed on start-up rather than in the app's migrations so an app gets it from the
/// package with no hand-written migration; a new version gets a new name.
/// </summary>
internal static class PostgreSqlRevocationTrigger
{
    /// <summary>The notification channel; the payload is <c>sequence session-id revoked-at-unix-ms</c>.</summary>
    public const string Channel = "rotor_revocations";

    public const string TriggerName = "rotor_session_revoked_v1";

    /// <summary>True when the trigger is on the table named by parameter <c>@table</c> (delimited, as in SQL).</summary>
    public const string ExistsSql = $"SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{TriggerName}' AND tgrelid = to_regclass(@table))";

    // Any constant will do: it only keeps two instances starting at once from creating the trigger twice.
    private const long InstallLock = 0x526f746f72_01;

    public static async Task InstallAsync(DbContext db, CancellationToken cancellationToken)
    {
        var names = RevocationLogNames.Create(db);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var connection = db.Database.GetDbConnection();
            var tx = transaction.GetDbTransaction();
            await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({InstallLock})", null, cancellationToken).ConfigureAwait(false);
            var exists = await ExecuteAsync(connection, tx, ExistsSql, names.Sessions, cancellationToken).ConfigureAwait(false);
            if (exists is not true)
            {
                await ExecuteAsync(connection, tx, CreateSql(names), null, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }

    private static string CreateSql(RevocationLogNames n)
    {
        var function = n.Delimit(TriggerName);
        return
            $"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $rotor$
            DECLARE seq bigint;
            BEGIN
                INSERT INTO {n.Log} ({n.LogSessionId}, {n.LogRevokedAt}) VALUES (NEW.{n.SessionId}, NEW.{n.SessionRevokedAt}) RETURNING {n.LogSequence} INTO seq;
                PERFORM pg_notify('{Channel}', seq::text || ' ' || NEW.{n.SessionId}::text || ' ' || NEW.{n.SessionRevokedAt}::text);
                RETURN NULL;
            END
            $rotor$;
            CREATE TRIGGER {TriggerName} AFTER UPDATE OF {n.SessionRevokedAt} ON {n.Sessions} FOR EACH ROW
                WHEN (OLD.{n.SessionRevokedAt} IS NULL AND NEW.{n.SessionRevokedAt} IS NOT NULL)
                EXECUTE FUNCTION {function}();
            """;
    }

    private static async Task<object?> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, string? table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (table is not null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "table";
            parameter.Value = table;
            command.Parameters.Add(parameter);
        }

        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}

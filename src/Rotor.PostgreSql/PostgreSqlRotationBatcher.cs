using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Rotor.Storage;

namespace Rotor.PostgreSql;

/// <summary>
/// The PostgreSQL refresh hot path: rotations that arrive while a rotation statement is in flight are sent
/// together as one statement (arrays through <c>unnest</c>, <see cref="RotorSql.RotateEach"/> applied to each row),
/// so one commit serves many refreshes and commits per second no longer cap them. With no concurrency a batch is
/// one rotation and nothing waits.
/// <para>
/// The statement never waits for a row lock: it locks the sessions it names with <c>FOR UPDATE SKIP LOCKED</c> and
/// rotates only those, so two instances' batches cannot deadlock on each other or on a multi-row revocation. A
/// request whose session another transaction holds (or that names no session) is answered "not locked" and its
/// caller runs the single-row compare-and-swap on its own connection, exactly as without batching. A session named
/// twice in a batch rotates once; the other request finds the generation moved on and is classified (grace) after
/// the statement committed, as a late duplicate always is. Everything stays one autocommit statement under READ
/// COMMITTED: no transaction spans round trips and nothing retries.
/// </para>
/// </summary>
internal sealed class PostgreSqlRotationBatcher : IRotationExecutor, IAsyncDisposable
{
    // Large enough that a burst on a busy instance fits in a few statements, small enough that one statement's
    // arrays and locks stay modest.
    private const int MaxBatch = 128;

    // Statements in flight at once. One would batch the most, but then every refresh waits for whole commit
    // cycles (statement, WAL flush, thread-pool hops) in series; a few overlap them, and PostgreSQL flushes their
    // commits together (its own group commit), while still carrying many rotations per statement under load.
    private const int MaxInFlight = 4;

    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly DirectRotationExecutor _single = new();
    private readonly object _setupLock = new();

    private int _running;
    private bool _disposed;
    private RotorSql? _sql;
    private string? _text;
    private NpgsqlConnection? _template;

    /// <summary>
    /// Queues a rotation. If fewer than <see cref="MaxInFlight"/> statements are under way, the caller starts one
    /// with everything queued so far; otherwise the request joins the next statement of a running loop. The loop
    /// runs on its own after the caller's answer, so no caller waits for a batch other than its own.
    /// </summary>
    public async Task<RotationOutcome?> RotateAsync(RotorSql sql, DbContext db, RotationRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_text is null)
        {
            Setup(sql, db);
        }

        var pending = new Pending(request);
        _queue.Enqueue(pending);
        if (TryReserve())
        {
            _ = DrainAsync();
        }

        var answer = await pending.Completion.Task.ConfigureAwait(false);
        return answer.Locked
            ? answer.Outcome
            : await _single.RotateAsync(sql, db, request, cancellationToken).ConfigureAwait(false);
    }

    private void Setup(RotorSql sql, DbContext db)
    {
        lock (_setupLock)
        {
            if (_text is not null)
            {
                return;
            }

            // A clone of the context's connection keeps its settings (data source, password); each statement loop
            // takes a connection from the pool, so a broken or cleared connection is not kept.
            var template = db.Database.GetDbConnection() as NpgsqlConnection
                ?? throw new InvalidOperationException("AddRotorPostgreSql needs the Rotor context on Npgsql (options.UseNpgsql(...)).");
            _template = (NpgsqlConnection)((ICloneable)template).Clone();
            _sql = sql;
            _text = BatchSql(sql);
        }
    }

    /// <summary>
    /// The batch statement: the requests as rows (<c>b</c>, numbered), the sessions this statement may touch
    /// (<c>l</c>, locked without waiting), the rotation rule over both (<c>r</c>), and one answer row per request.
    /// </summary>
    private static string BatchSql(RotorSql sql)
    {
        var values = new RotationValues("b.b_id", "b.b_gen", "b.b_mode", "b.b_now", "b.b_idle", "b.b_lockout", "b.b_jkt");
        var id = sql.SessionIdColumn;
        return
            "WITH b AS (SELECT * FROM unnest(@b_id, @b_gen, @b_mode, @b_now, @b_idle, @b_lockout, @b_jkt) " +
            "WITH ORDINALITY AS b(b_id, b_gen, b_mode, b_now, b_idle, b_lockout, b_jkt, b_ord)), " +
            $"l AS (SELECT {id} AS l_id FROM {sql.SessionTable} WHERE {id} = ANY(@b_id) FOR UPDATE SKIP LOCKED), " +
            $"r(r_ord, r_user, r_gen, r_idle, r_name, r_email, r_auth, r_jkt) AS (" +
            sql.RotateEach(values, "b", $" AND {sql.SessionTable}.{id} IN (SELECT l_id FROM l)", "b.b_ord, ") + ") " +
            "SELECT b.b_ord, EXISTS (SELECT 1 FROM l WHERE l.l_id = b.b_id), r.r_user, r.r_gen, r.r_idle, r.r_name, r.r_email, r.r_auth, r.r_jkt " +
            "FROM b LEFT JOIN r ON r.r_ord = b.b_ord";
    }

    /// <summary>Takes one of the <see cref="MaxInFlight"/> statement slots, if one is free and work is queued.</summary>
    private bool TryReserve()
    {
        while (!_queue.IsEmpty)
        {
            var running = Volatile.Read(ref _running);
            if (running >= MaxInFlight)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _running, running + 1, running) == running)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sends statements, each with everything queued at its start, until the queue is empty.</summary>
    private async Task DrainAsync()
    {
        var batch = new List<Pending>(16);
        do
        {
            try
            {
                if (Take(batch))
                {
                    await DrainOnOneConnectionAsync(batch).ConfigureAwait(false);
                }
            }
            finally
            {
                // A full fence before looking at the queue again, so a request queued while this loop was ending
                // (and found every slot taken) is never left without a statement.
                Interlocked.Decrement(ref _running);
            }
        }
        while (TryReserve());
    }

    private async Task DrainOnOneConnectionAsync(List<Pending> batch)
    {
        NpgsqlConnection? connection = null;
        NpgsqlCommand? command = null;
        try
        {
            connection = (NpgsqlConnection)((ICloneable)_template!).Clone();
            command = CreateCommand(connection);
            do
            {
                await RunAsync(connection, command, batch).ConfigureAwait(false);
            }
            while (Take(batch));
        }
        catch (Exception ex)
        {
            // Only reached if the connection or command could not even be made: the batch in hand still gets an answer.
            Fail(batch, ex);
        }
        finally
        {
            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Fail(List<Pending> batch, Exception ex)
    {
        foreach (var item in batch)
        {
            item.Completion.TrySetException(ex);
        }
    }

    private NpgsqlCommand CreateCommand(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(_text, connection);
        command.Parameters.Add(new NpgsqlParameter("b_id", NpgsqlDbType.Array | NpgsqlDbType.Uuid));
        command.Parameters.Add(new NpgsqlParameter("b_gen", NpgsqlDbType.Array | NpgsqlDbType.Bigint));
        command.Parameters.Add(new NpgsqlParameter("b_mode", NpgsqlDbType.Array | NpgsqlDbType.Text));
        command.Parameters.Add(new NpgsqlParameter("b_now", NpgsqlDbType.Array | NpgsqlDbType.Bigint));
        command.Parameters.Add(new NpgsqlParameter("b_idle", NpgsqlDbType.Array | NpgsqlDbType.Bigint));
        command.Parameters.Add(new NpgsqlParameter("b_lockout", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz));
        command.Parameters.Add(new NpgsqlParameter("b_jkt", NpgsqlDbType.Array | NpgsqlDbType.Text));
        _sql!.BindEachConstants(command);
        return command;
    }

    private bool Take(List<Pending> batch)
    {
        batch.Clear();
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var item))
        {
            batch.Add(item);
        }

        return batch.Count > 0;
    }

    private async Task RunAsync(NpgsqlConnection connection, NpgsqlCommand command, List<Pending> batch)
    {
        var answers = new Answer[batch.Count];
        try
        {
            Bind(command, batch);
            if (connection.State != System.Data.ConnectionState.Open)
            {
                // Opened on first use, and again after a failure closed it (Npgsql closes a broken connection).
                await connection.OpenAsync().ConfigureAwait(false);
                await command.PrepareAsync().ConfigureAwait(false);
            }

            // The reader is read to its end and closed before anyone is answered: closing it waits for the
            // server's ReadyForQuery, which follows the statement's commit, so no answer announces a rotation a
            // crash could undo.
            await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var index = (int)reader.GetInt64(0) - 1;
                    answers[index] = new Answer(
                        reader.GetBoolean(1),
                        reader.IsDBNull(2) ? null : EfRotorStoreReader.ReadRotated(reader, 2));
                }
            }
        }
        catch (Exception ex)
        {
            // The statement did not commit (or may not have): every caller sees the failure (a 503), none a 401.
            // The connection goes back to the pool (Npgsql discards a broken one); the next statement opens anew.
            Fail(batch, ex);
            try
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception closing) when (closing is NpgsqlException or IOException or ObjectDisposedException)
            {
                // Already broken; the next statement opens another.
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(answers[i]);
        }
    }

    private void Bind(NpgsqlCommand command, List<Pending> batch)
    {
        var count = batch.Count;
        var ids = new Guid[count];
        var generations = new long[count];
        var modes = new string[count];
        var nows = new long[count];
        var idles = new long[count];
        var lockouts = new DateTimeOffset[count];
        var jkts = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var request = batch[i].Request;
            ids[i] = request.SessionId;
            generations[i] = request.Generation;
            modes[i] = request.Mode;
            nows[i] = (long)_sql!.StoreTime(request.Now);
            idles[i] = (long)_sql.StoreTime(request.IdleExpiresAt);
            lockouts[i] = RotorSql.LockoutNow(request.Now);
            jkts[i] = request.DpopJkt;
        }

        var parameters = command.Parameters;
        parameters[0].Value = ids;
        parameters[1].Value = generations;
        parameters[2].Value = modes;
        parameters[3].Value = nows;
        parameters[4].Value = idles;
        parameters[5].Value = lockouts;
        parameters[6].Value = jkts;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_template is not null)
        {
            await _template.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A request's share of a statement: whether the statement held its session (if not, the caller rotates it
    /// alone) and, when it rotated, the new state.
    /// </summary>
    private readonly record struct Answer(bool Locked, RotationOutcome? Outcome);

    private sealed record Pending(RotationRequest Request)
    {
        public TaskCompletionSource<Answer> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

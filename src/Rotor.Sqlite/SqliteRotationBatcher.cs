using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Rotor.Storage;

namespace Rotor.Sqlite;

/// <summary>
/// The SQLite refresh hot path: rotations that arrive while a write is in progress are committed together,
/// one compare-and-swap statement each, in a single transaction on a dedicated connection that stays open
/// with its statement prepared (group commit). Every caller still gets its own statement's answer, and only
/// after the transaction holding it has committed, so a response never announces a rotation that a crash
/// could undo. With no concurrency a batch is one rotation and nothing waits.
/// </summary>
internal sealed class SqliteRotationBatcher : IRotationExecutor, IAsyncDisposable, IDisposable
{
    private const int MaxBatch = 64;

    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly StoreWriteGate _gate;
    private readonly object _setupLock = new();
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    private int _leading;
    private int _checkpointing;
    private Timer? _checkpoints;
    private bool _disposed;
    private DbConnection? _connection;
    private DbCommand? _command;
    private RotorSql? _sql;
    private DbConnection? _template;
    private string? _connectionString;

    public SqliteRotationBatcher(StoreWriteGate gate) => _gate = gate;

    /// <summary>
    /// Queues a rotation. The caller that finds no batch under way leads: it commits everything queued so far
    /// (its own rotation included) on its own thread, then any rotations queued meanwhile, and returns; the
    /// others just wait for their answers. No thread is parked for the purpose and no hop is added when alone.
    /// </summary>
    public Task<RotationOutcome?> RotateAsync(RotorSql sql, DbContext db, RotationRequest request, CancellationToken cancellationToken) =>
        RotateAsync(sql, db.Database.GetDbConnection(), db.Database.GetConnectionString()!, request);

    private async Task<RotationOutcome?> RotateAsync(RotorSql sql, DbConnection template, string connectionString, RotationRequest request)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sql is null)
        {
            lock (_setupLock)
            {
                _template ??= template;
                _connectionString ??= connectionString;
                _sql ??= sql;
            }
        }

        var pending = new Pending(request);
        _queue.Enqueue(pending);
        // Whoever releases the lead looks at the queue again (after a full fence), so a rotation queued while
        // a leader was finishing is never left without one.
        while (!_queue.IsEmpty && Interlocked.CompareExchange(ref _leading, 1, 0) == 0)
        {
            try
            {
                await DrainAsync().ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _leading, 0);
            }
        }

        return await pending.Completion.Task.ConfigureAwait(false);
    }

    private async Task DrainAsync()
    {
        var batch = new List<Pending>(8);
        while (!_queue.IsEmpty)
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var item))
            {
                batch.Add(item);
            }

            try
            {
                using (await _gate.EnterAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    await ExecuteAsync(batch).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                // Nothing of this batch committed: every caller sees the failure (a 503), none a half-state.
                Reset();
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(ex);
                }
            }
        }
    }

    private async Task ExecuteAsync(List<Pending> batch)
    {
        var command = await GetCommandAsync().ConfigureAwait(false);
        var results = new RotationOutcome?[batch.Count];
        await using (var transaction = await _connection!.BeginTransactionAsync().ConfigureAwait(false))
        {
            command.Transaction = transaction;
            for (var i = 0; i < batch.Count; i++)
            {
                command.Parameters.Clear();
                _sql!.BindRotate(command, batch[i].Request);
                results[i] = await EfRotorStoreReader.ReadRotationAsync(command, CancellationToken.None).ConfigureAwait(false);
            }

            await transaction.CommitAsync().ConfigureAwait(false);
        }

        command.Transaction = null;
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }
    }

    private async ValueTask<DbCommand> GetCommandAsync()
    {
        if (_command is not null)
        {
            return _command;
        }

        var factory = DbProviderFactories.GetFactory(_template!)
            ?? throw new InvalidOperationException($"{_template!.GetType().Name} exposes no DbProviderFactory.");
        var connection = factory.CreateConnection()!;
        connection.ConnectionString = _connectionString;
        try
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode;";
                var journal = Convert.ToString(await pragma.ExecuteScalarAsync().ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                // In WAL mode synchronous=NORMAL keeps every commit across a crash of the process (only power
                // loss can drop the last few) without an fsync per commit; outside WAL keep SQLite's default.
                var wal = string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase);
                // With WAL, checkpoints (copying the log into the file, with an fsync) are taken off the refresh
                // path: this connection never checkpoints on commit; a timer does it passively each second.
                pragma.CommandText = wal
                    ? "PRAGMA busy_timeout=1000; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;"
                    : "PRAGMA busy_timeout=1000;";
                await pragma.ExecuteNonQueryAsync().ConfigureAwait(false);
                if (wal)
                {
                    _checkpoints ??= new Timer(_ => Checkpoint(), null, CheckpointInterval, CheckpointInterval);
                }
            }

            _command = connection.CreateCommand();
            _command.CommandText = _sql!.Rotate;
            _connection = connection;
            return _command;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void Checkpoint()
    {
        if (Interlocked.Exchange(ref _checkpointing, 1) == 1)
        {
            return;
        }

        try
        {
            // A separate connection, so the rotation statement never waits for it; PASSIVE copies what it can
            // without blocking writers, and the next tick continues.
            using var connection = DbProviderFactories.GetFactory(_template!)!.CreateConnection()!;
            connection.ConnectionString = _connectionString;
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
        }
        catch (DbException)
        {
            // The database is busy or gone; rotations report that themselves. Try again next tick.
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    private void Reset()
    {
        _command?.Dispose();
        _connection?.Dispose();
        _command = null;
        _connection = null;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _disposed = true;
        _checkpoints?.Dispose();
        Reset();
    }

    private sealed record Pending(RotationRequest Request)
    {
        public TaskCompletionSource<RotationOutcome?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

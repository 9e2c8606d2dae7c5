using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Rotor.Storage;

namespace Rotor.Dpop;

/// <summary>
/// <see cref="IDpopReplayCache"/> in the database (table <c>rotor_dpop_proofs</c>): one <c>INSERT … ON CONFLICT DO
/// NOTHING</c> per proof (SQLite and PostgreSQL), whose row count says whether the proof is new, so two instances
/// given the same proof at the same moment accept it once. Expired rows are deleted by the maintenance service's purge.
/// </summary>
internal sealed class DatabaseDpopReplayCache<TContext> : IDpopReplayCache
    where TContext : DbContext
{
    private static string? s_insert;

    private readonly TContext _db;
    private readonly StoreWriteGate _gate;

    public DatabaseDpopReplayCache(TContext db, StoreWriteGate gate)
    {
        _db = db;
        _gate = gate;
    }

    public async ValueTask<bool> TryAddAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var text = s_insert ??= InsertSql(_db);
        using (await _gate.EnterAsync(cancellationToken))
        {
            await _db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var command = _db.Database.GetDbConnection().CreateCommand();
                command.CommandText = text;
                command.Transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
                Add(command, "@key", DbType.String, key);
                Add(command, "@expires", DbType.Int64, expiresAt.ToUnixTimeMilliseconds());
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            }
            finally
            {
                await _db.Database.CloseConnectionAsync();
            }
        }
    }

    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        return await _db.Set<RotorDpopProof>().Where(p => p.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }

    private static string InsertSql(DbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(RotorDpopProof))
            ?? throw new InvalidOperationException($"{db.GetType().Name} has no Rotor tables; call modelBuilder.UseRotor<TUser>() in its OnModelCreating.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string C(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var key = C(nameof(RotorDpopProof.Key));
        return $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({key}, {C(nameof(RotorDpopProof.ExpiresAt))}) " +
            $"VALUES (@key, @expires) ON CONFLICT ({key}) DO NOTHING";
    }

    private static void Add(System.Data.Common.DbCommand command, string name, DbType type, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

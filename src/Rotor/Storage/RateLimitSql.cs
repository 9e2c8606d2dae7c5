using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rotor.Storage;

/// <summary>
/// One rate-limit hit as one upsert (<c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>, SQLite 3.35+ and PostgreSQL),
/// built once from the application's EF Core model. The row is read and changed by that one statement, so hits that
/// several instances count at the same moment all count: the fleet allows the limit once, not once per instance.
/// Times are Unix milliseconds, as the model stores them.
/// </summary>
internal sealed class RateLimitSql
{
    private RateLimitSql(DbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(RotorRateLimitCount))
            ?? throw new InvalidOperationException($"{db.GetType().Name} has no Rotor tables; call modelBuilder.UseRotor<TUser>() in its OnModelCreating.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string C(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var t = sql.DelimitIdentifier(table.Name, table.Schema);
        var policy = C(nameof(RotorRateLimitCount.Policy));
        var key = C(nameof(RotorRateLimitCount.Key));
        var hits = C(nameof(RotorRateLimitCount.Hits));
        var windowStart = C(nameof(RotorRateLimitCount.WindowStart));
        var expires = C(nameof(RotorRateLimitCount.ExpiresAt));

        // Every SET expression reads the row as it was before the statement (SQL's rule, and SQLite's).
        var current = $"r.{expires} > @now";
        Hit =
            $"INSERT INTO {t} AS r ({policy}, {key}, {hits}, {windowStart}, {expires}) VALUES (@policy, @key, 1, @now, @windowEnd) " +
            $"ON CONFLICT ({policy}, {key}) DO UPDATE SET " +
            $"{hits} = CASE WHEN {current} THEN r.{hits} + 1 ELSE 1 END, " +
            $"{windowStart} = CASE WHEN {current} THEN r.{windowStart} ELSE @now END, " +
            $"{expires} = CASE WHEN {current} THEN r.{expires} ELSE @windowEnd END " +
            $"RETURNING {hits}, {expires}";
    }

    /// <summary>Counts a hit; returns the hits in the window and when it ends.</summary>
    public string Hit { get; }

    public static RateLimitSql Create(DbContext db) => new(db);

    public static void BindHit(DbCommand command, string policy, string key, DateTimeOffset now, TimeSpan window)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        Add(command, "@policy", policy);
        Add(command, "@key", key);
        Add(command, "@now", nowMs);
        Add(command, "@windowEnd", nowMs + (long)window.TotalMilliseconds);
    }

    public static async Task<(int Hits, DateTimeOffset WindowEnd)> ReadHitAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("Counting a rate-limited request returned no row.");
        }

        return (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = value is string ? DbType.String : DbType.Int64;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rotor.Storage;

/// <summary>
/// The failure count as two upserts (<c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>, SQLite 3.35+ and PostgreSQL),
/// built once from the application's EF Core model. Each row is read and changed by one statement, so failures that
/// several instances count at the same moment all count, and the one that reaches the limit is the one that locks.
/// Times are Unix milliseconds and durations milliseconds, as the model stores them.
/// </summary>
internal sealed class SignInFailureSql
{
    private SignInFailureSql(DbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var entity = db.Model.FindEntityType(typeof(RotorSignInFailure))
            ?? throw new InvalidOperationException($"{db.GetType().Name} has no Rotor tables; call modelBuilder.UseRotor<TUser>() in its OnModelCreating.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string C(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var t = sql.DelimitIdentifier(table.Name, table.Schema);
        var account = C(nameof(RotorSignInFailure.Account));
        var source = C(nameof(RotorSignInFailure.Source));
        var failures = C(nameof(RotorSignInFailure.Failures));
        var lastLockout = C(nameof(RotorSignInFailure.LastLockout));
        var lockedUntil = C(nameof(RotorSignInFailure.LockedUntil));
        var lastFailure = C(nameof(RotorSignInFailure.LastFailureAt));
        var windowStart = C(nameof(RotorSignInFailure.WindowStart));
        var expires = C(nameof(RotorSignInFailure.ExpiresAt));
        var columns = $"({account}, {source}, {failures}, {lastLockout}, {lockedUntil}, {lastFailure}, {windowStart}, {expires})";

        // A source's count and last lock are forgotten once its last failure is older than the memory.
        var remembered = $"f.{lastFailure} > @forgetBefore";
        var count = $"(CASE WHEN {remembered} THEN f.{failures} ELSE 0 END + 1)";
        var last = $"(CASE WHEN {remembered} THEN f.{lastLockout} ELSE 0 END)";
        var next = $"(CASE WHEN {last} = 0 THEN @firstLockout WHEN {last} * 2 > @maxLockout THEN @maxLockout ELSE {last} * 2 END)";
        var inWindow = $"f.{windowStart} > @windowSince";

        Record =
            $"INSERT INTO {t} AS f {columns} VALUES (@account, @source, @newFailures, @newLockout, @newLockedUntil, @now, @now, @expires) " +
            $"ON CONFLICT ({account}, {source}) DO UPDATE SET " +
            $"{failures} = CASE WHEN {count} >= @maxFailures THEN 0 ELSE {count} END, " +
            $"{lastLockout} = CASE WHEN {count} >= @maxFailures THEN {next} ELSE {last} END, " +
            $"{lockedUntil} = CASE WHEN {count} >= @maxFailures THEN @now + {next} ELSE f.{lockedUntil} END, " +
            $"{lastFailure} = @now, {expires} = @expires " +
            $"RETURNING {failures}, {lastLockout}, {lockedUntil};\n" +
            $"INSERT INTO {t} AS f {columns} VALUES (@account, @everywhere, 1, 0, NULL, @now, @now, @windowEnd) " +
            $"ON CONFLICT ({account}, {source}) DO UPDATE SET " +
            $"{failures} = CASE WHEN {inWindow} THEN f.{failures} + 1 ELSE 1 END, " +
            $"{windowStart} = CASE WHEN {inWindow} THEN f.{windowStart} ELSE @now END, " +
            $"{expires} = CASE WHEN {inWindow} THEN f.{windowStart} + @window ELSE @windowEnd END, " +
            $"{lastFailure} = @now " +
            $"RETURNING {failures}, {windowStart}";
    }

    /// <summary>Counts a failure for the source (first result: failures, last lockout, locked until) and for everywhere (second: failures, window start).</summary>
    public string Record { get; }

    public static SignInFailureSql Create(DbContext db) => new(db);

    public static void BindRecord(DbCommand command, string account, string source, in SignInFailurePolicy policy, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var first = Ms(policy.FirstLockout);
        var max = Math.Max(Ms(policy.MaxLockout), first);
        var locksAtOnce = policy.MaxFailures <= 1;
        Add(command, "@account", account);
        Add(command, "@source", source);
        Add(command, "@everywhere", RotorSignInFailure.Everywhere);
        Add(command, "@now", nowMs);
        Add(command, "@newFailures", locksAtOnce ? 0L : 1L);
        Add(command, "@newLockout", locksAtOnce ? first : 0L);
        Add(command, "@newLockedUntil", locksAtOnce ? nowMs + first : null);
        Add(command, "@expires", nowMs + Ms(policy.Memory));
        Add(command, "@forgetBefore", nowMs - Ms(policy.Memory));
        Add(command, "@maxFailures", (long)policy.MaxFailures);
        Add(command, "@firstLockout", first);
        Add(command, "@maxLockout", max);
        Add(command, "@window", Ms(policy.AccountWindow));
        Add(command, "@windowSince", nowMs - Ms(policy.AccountWindow));
        Add(command, "@windowEnd", nowMs + Ms(policy.AccountWindow));
    }

    public static async Task<SignInFailureCounts> ReadRecordAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("Counting a failed sign-in returned no row.");
        }

        var sourceFailures = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        var lastLockout = TimeSpan.FromMilliseconds(reader.GetInt64(1));
        DateTimeOffset? lockedUntil = reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
        if (!await reader.NextResultAsync(cancellationToken) || !await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("Counting a failed sign-in for the account returned no row.");
        }

        var accountFailures = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        var windowStart = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        return new SignInFailureCounts(sourceFailures, lockedUntil, lastLockout, accountFailures, windowStart);
    }

    private static long Ms(TimeSpan value) => (long)value.TotalMilliseconds;

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = value is string ? DbType.String : DbType.Int64;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}

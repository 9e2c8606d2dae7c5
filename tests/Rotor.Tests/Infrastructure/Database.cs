using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Rotor.Tests.Infrastructure;

/// <summary>
/// Reads a test host's database directly, to check what was stored. Tests write SQLite's dialect (bare PascalCase
/// names, 0/1 for booleans); on PostgreSQL the names are quoted and booleans read back as 0/1, so one query serves both.
/// </summary>
public static partial class Database
{
    public static async Task<List<string?>> QueryStringsAsync(RotorApp app, string sql)
    {
        await using var connection = Open(app);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Dialect(sql);
        var results = new List<string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            results.Add(reader.IsDBNull(0) ? null : reader.GetValue(0) switch
            {
                bool b => b ? "1" : "0",
                var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        return results;
    }

    public static async Task ExecuteAsync(RotorApp app, string sql)
    {
        await using var connection = Open(app);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Dialect(sql);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> CountAsync(RotorApp app, string sql) =>
        long.Parse((await QueryStringsAsync(app, sql))[0]!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A new, closed connection to the app's database.</summary>
    public static DbConnection Open(RotorApp app) => TestDatabase.IsPostgreSql
        ? new NpgsqlConnection(app.ConnectionString)
        : new SqliteConnection($"Data Source={app.DatabasePath}");

    /// <summary>Quotes PascalCase names outside string literals and writes boolean assignments as booleans, on PostgreSQL.</summary>
    public static string Dialect(string sql)
    {
        if (!TestDatabase.IsPostgreSql)
        {
            return sql;
        }

        var parts = sql.Split('\'');
        for (var i = 0; i < parts.Length; i += 2)
        {
            parts[i] = PascalName().Replace(parts[i], m => $"\"{m.Value}\"");
            parts[i] = BooleanColumn().Replace(parts[i], m => $"{m.Groups[1].Value} = {(m.Groups[2].Value == "1" ? "true" : "false")}");
        }

        return string.Join('\'', parts);
    }

    [GeneratedRegex(@"(?<![""\w])(?:__EFMigrationsHistory|[A-Z][a-z]\w*)(?![""\w])")]
    private static partial Regex PascalName();

    [GeneratedRegex(@"(""(?:TwoFactorEnabled|EmailConfirmed|LockoutEnabled|PhoneNumberConfirmed)"")\s*=\s*([01])\b")]
    private static partial Regex BooleanColumn();
}

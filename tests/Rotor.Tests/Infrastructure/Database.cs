using Microsoft.Data.Sqlite;

namespace Rotor.Tests.Infrastructure;

/// <summary>Reads a test host's SQLite file directly, to check what was stored.</summary>
public static class Database
{
    public static async Task<List<string?>> QueryStringsAsync(RotorApp app, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var results = new List<string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            results.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return results;
    }

    public static async Task ExecuteAsync(RotorApp app, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> CountAsync(RotorApp app, string sql) =>
        long.Parse((await QueryStringsAsync(app, sql))[0]!, System.Globalization.CultureInfo.InvariantCulture);
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Rotor.Host.Data;

/// <summary>Creates the SQLite database on first start and brings it up to date with the migrations.</summary>
public static class DatabaseSetup
{
    /// <summary>The connection string used when <c>ConnectionStrings:Rotor</c> is not set.</summary>
    public const string DefaultConnectionString = "Data Source=data/rotor.db;Default Timeout=5";

    /// <summary>Makes sure the folder of a SQLite file exists, so a fresh clone starts without setup.</summary>
    public static void EnsureDirectory(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!string.IsNullOrEmpty(source) && source != ":memory:" && !source.StartsWith("file:", StringComparison.Ordinal))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(source));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
    }

    public static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RotorDbContext>();
        await db.Database.MigrateAsync();
        // WAL lets readers run beside the single writer; the setting is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }
}

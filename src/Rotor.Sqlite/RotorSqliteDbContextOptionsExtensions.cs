using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Rotor.Sqlite;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Configures an EF Core context for Rotor on SQLite (package Rotor.Sqlite).</summary>
public static class RotorSqliteDbContextOptionsExtensions
{
    /// <summary>
    /// Uses SQLite at <paramref name="connectionString"/> with the settings Rotor expects on every connection
    /// (<c>synchronous=NORMAL</c> under WAL, <c>busy_timeout</c>), creating the database file's folder when missing.
    /// </summary>
    public static DbContextOptionsBuilder UseRotorSqlite(this DbContextOptionsBuilder options, string connectionString, Action<SqliteDbContextOptionsBuilder>? sqlite = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        EnsureDirectory(connectionString);
        return options.UseSqlite(connectionString, sqlite).AddInterceptors(new SqlitePragmaInterceptor());
    }

    // A fresh clone starts without setup: the file's folder is made when missing, owner-only.
    private static void EnsureDirectory(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!string.IsNullOrEmpty(source) && source != ":memory:" && !source.StartsWith("file:", StringComparison.Ordinal))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(source));
            if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
            {
                // The file holds password hashes and sessions: a folder Rotor makes is owner-only, as the key and
                // mail folders are (a folder the operator made keeps its modes).
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
        }
    }
}

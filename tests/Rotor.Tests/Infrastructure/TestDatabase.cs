using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Rotor.Tests.Infrastructure;

/// <summary>
/// The provider the server tests run on: SQLite by default, PostgreSQL when <c>ROTOR_TEST_DATABASE=PostgreSql</c>
/// (scripts/test.sh runs the assembly once with each). On PostgreSQL every test host gets a database of its own,
/// copied from a template migrated once per run (the host applies any migration missing on start) and dropped when the last host using it is disposed; the server is
/// <c>ROTOR_TEST_POSTGRES</c> (an Npgsql connection string for a role that may create databases), by default the one
/// scripts/postgres.sh starts.
/// </summary>
public static class TestDatabase
{
    private static readonly Dictionary<string, int> Users = [];

    public static bool IsPostgreSql { get; } =
        string.Equals(Environment.GetEnvironmentVariable("ROTOR_TEST_DATABASE"), "PostgreSql", StringComparison.OrdinalIgnoreCase);

    public static string Provider => IsPostgreSql ? "PostgreSql" : "Sqlite";

    private static string Server =>
        Environment.GetEnvironmentVariable("ROTOR_TEST_POSTGRES") is { Length: > 0 } url
            ? url
            : "Host=127.0.0.1;Port=55432;Username=rotor;Password=rotor;Database=rotor";

    /// <summary>The connection string of the database that belongs to a test folder (one name per folder, so hosts that share a folder share it).</summary>
    public static string PostgreSqlConnectionString(string directory) =>
        new NpgsqlConnectionStringBuilder(Server) { Database = DatabaseName(directory), MaxPoolSize = 20 }.ConnectionString;

    /// <summary>
    /// Takes the folder's database, creating it on first use as a copy of a template that this run migrated once
    /// (a copy costs a fraction of running the migrations for every test; the host still checks them on start).
    /// </summary>
    public static void Acquire(string directory)
    {
        var name = DatabaseName(directory);
        bool first;
        lock (Users)
        {
            first = !Users.ContainsKey(name);
            Users[name] = Users.GetValueOrDefault(name) + 1;
        }

        if (first && !Exists(name))
        {
            Admin($"CREATE DATABASE \"{name}\" TEMPLATE \"{Template.Value}\"");
        }
    }

    /// <summary>Drops the folder's database once no host uses it any more.</summary>
    public static void Release(string directory)
    {
        var name = DatabaseName(directory);
        lock (Users)
        {
            var left = Users.GetValueOrDefault(name) - 1;
            if (left > 0)
            {
                Users[name] = left;
                return;
            }

            Users.Remove(name);
        }

        using (var probe = new NpgsqlConnection(PostgreSqlConnectionString(directory)))
        {
            NpgsqlConnection.ClearPool(probe);
        }

        try
        {
            using var admin = new NpgsqlConnection(Server);
            admin.Open();
            using var command = admin.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The server went away (a test that stops it, or the end of the run): nothing left to drop.
        }
    }

    /// <summary>
    /// Copies the database of one test folder to another (PostgreSQL's form of copying the SQLite file): the source's
    /// connections are closed first, as <c>CREATE DATABASE … TEMPLATE</c> requires; its host reconnects by itself.
    /// </summary>
    public static void Copy(string sourceDirectory, string targetDirectory)
    {
        using (var probe = new NpgsqlConnection(PostgreSqlConnectionString(sourceDirectory)))
        {
            NpgsqlConnection.ClearPool(probe);
        }

        using var admin = new NpgsqlConnection(Server);
        admin.Open();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Two commands: CREATE DATABASE cannot run in a batch.
                using var terminate = admin.CreateCommand();
                terminate.CommandText = $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{DatabaseName(sourceDirectory)}' AND pid <> pg_backend_pid()";
                terminate.ExecuteNonQuery();
                using var create = admin.CreateCommand();
                create.CommandText = $"CREATE DATABASE \"{DatabaseName(targetDirectory)}\" TEMPLATE \"{DatabaseName(sourceDirectory)}\"";
                create.ExecuteNonQuery();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // The source host's background work reconnected in between: close it again.
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>Whether the folder's database exists on the server.</summary>
    public static bool DatabaseExists(string directory) => Exists(DatabaseName(directory));

    /// <summary>Drops the folder's database before its host starts, so the host has to create it.</summary>
    public static void DropBeforeStart(string directory) => Admin($"DROP DATABASE IF EXISTS \"{DatabaseName(directory)}\" WITH (FORCE)");

    private static readonly Lazy<string> Template = new(() =>
    {
        const string name = "rotor_test_template";
        Admin($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        Admin($"CREATE DATABASE \"{name}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = false }.ConnectionString;
        using (var db = new Rotor.Host.Data.PostgreSqlRotorDbContext(
            new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<Rotor.Host.Data.PostgreSqlRotorDbContext>().UseNpgsql(connectionString).Options))
        {
            Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.Migrate(db.Database);
        }

        return name;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static bool Exists(string name)
    {
        using var admin = new NpgsqlConnection(Server);
        admin.Open();
        using var command = admin.CreateCommand();
        command.CommandText = $"SELECT 1 FROM pg_database WHERE datname = '{name}'";
        return command.ExecuteScalar() is not null;
    }

    private static void Admin(string sql)
    {
        using var admin = new NpgsqlConnection(Server);
        admin.Open();
        using var command = admin.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string DatabaseName(string directory) =>
        "rotor_test_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(directory))))[..24];
}

using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Host.Data;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Storage;

public sealed class DatabaseFailureTests : IDisposable
{
    private readonly RotorApp _app = new(new Dictionary<string, string?>
    {
        // Keep the background work out of the way of the lock.
        ["Rotor:PurgeInterval"] = "1.00:00:00",
    });

    private readonly RotorClient _client;

    public DatabaseFailureTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [SqliteOnlyFact("SQLite's file-wide write lock held by another process; PostgreSQL has no such lock (writers take row locks): its counterparts stop a server of their own (PostgreSqlOutageTests) or lock rows and tables (PostgreSqlReadinessTests)")]
    public async Task A_refresh_while_the_database_is_locked_is_503_and_changes_nothing()
    {
        var session = await _client.NewNativeSessionAsync();
        var generationBefore = await GenerationAsync(session.SessionId);

        await using (await LockDatabaseAsync())
        {
            using var response = await _client.RefreshNativeAsync(session.RefreshToken);

            await RotorClient.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Null(RotorClient.SetCookie(response));
        }

        Assert.Equal(generationBefore, await GenerationAsync(session.SessionId));
        using var after = await _client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(generationBefore + 1, await GenerationAsync(session.SessionId));
    }

    [SqliteOnlyFact("SQLite's file-wide write lock held by another process; PostgreSQL has no such lock (writers take row locks): its counterparts stop a server of their own (PostgreSqlOutageTests) or lock rows and tables (PostgreSqlReadinessTests)")]
    public async Task A_browser_refresh_while_the_database_is_locked_keeps_the_cookie()
    {
        var session = await _client.NewBrowserSessionAsync();

        await using (await LockDatabaseAsync())
        {
            using var response = await _client.RefreshBrowserAsync(session.Cookie);

            await RotorClient.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
            // Clearing the cookie would sign the browser out because of the server's own failure.
            Assert.Null(RotorClient.SetCookie(response));
        }

        using var after = await _client.RefreshBrowserAsync(session.Cookie);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [SqliteOnlyFact("SQLite's file-wide write lock held by another process; PostgreSQL has no such lock (writers take row locks): its counterparts stop a server of their own (PostgreSqlOutageTests) or lock rows and tables (PostgreSqlReadinessTests)")]
    public async Task A_login_while_the_database_is_locked_is_503()
    {
        var user = await _client.RegisterAsync();
        var username = (string)user["username"]!;

        await using (await LockDatabaseAsync())
        {
            using var native = await _client.LoginAsync(username, mode: "native");
            await RotorClient.AssertProblemAsync(native, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(native.Headers.RetryAfter);

            using var browser = await _client.LoginAsync(username);
            await RotorClient.AssertProblemAsync(browser, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.Null(RotorClient.SetCookie(browser));
        }

        Assert.Equal(0, await Database.CountAsync(_app, $"SELECT COUNT(*) FROM rotor_sessions WHERE UserId = '{(string)user["id"]!}'"));
        using var after = await _client.LoginAsync(username, mode: "native");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [SqliteOnlyFact("SQLite's file-wide write lock held by another process; PostgreSQL has no such lock (writers take row locks): its counterparts stop a server of their own (PostgreSqlOutageTests) or lock rows and tables (PostgreSqlReadinessTests)")]
    public async Task A_logout_while_the_database_is_locked_is_503_and_the_session_lives_on()
    {
        var session = await _client.NewNativeSessionAsync();

        await using (await LockDatabaseAsync())
        {
            using var logout = await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = session.RefreshToken });
            await RotorClient.AssertProblemAsync(logout, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(logout.Headers.RetryAfter);
        }

        using var after = await _client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [SqliteOnlyFact("SQLite's file-wide write lock held by another process; PostgreSQL has no such lock (writers take row locks): its counterparts stop a server of their own (PostgreSqlOutageTests) or lock rows and tables (PostgreSqlReadinessTests)")]
    public async Task A_registration_while_the_database_is_locked_is_503_not_a_conflict()
    {
        var username = RotorClient.NewName();

        await using (await LockDatabaseAsync())
        {
            using var register = await _client.SendAsync(HttpMethod.Post, "/auth/register", null, new { username, email = username + "@example.com", password = RotorClient.Password });

            // Neither the name nor the address is taken: the server simply could not write.
            await RotorClient.AssertProblemAsync(register, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(register.Headers.RetryAfter);
        }

        var user = await _client.RegisterAsync(username);
        Assert.Equal(username, (string?)user["username"]);
    }

    [SqliteOnlyFact("SQLite's file-wide write lock held by another process; PostgreSQL has no such lock (writers take row locks): its counterparts stop a server of their own (PostgreSqlOutageTests) or lock rows and tables (PostgreSqlReadinessTests)")]
    public async Task Healthz_stays_200_while_another_process_holds_the_write_lock()
    {
        // Readiness reads; it neither waits for the lock nor competes for it (see Diagnostics/HealthCheckTests).
        var session = await _client.NewNativeSessionAsync();

        await using (await LockDatabaseAsync())
        {
            using var health = await _client.Http.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

            using var refresh = await _client.RefreshNativeAsync(session.RefreshToken);
            await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        }
    }

    [Fact]
    public async Task A_fresh_host_creates_the_database_applies_every_migration_and_uses_wal()
    {
        // On PostgreSQL: the host creates its own database (none exists before the first request) and migrates it.
        using var app = new RotorApp();
        var sqlite = !TestDatabase.IsPostgreSql;
        if (!sqlite)
        {
            TestDatabase.DropBeforeStart(app.Directory);
        }

        Assert.False(sqlite ? File.Exists(app.DatabasePath) : TestDatabase.DatabaseExists(app.Directory));

        using var client = app.Client();
        using (var health = await client.Http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.True(sqlite ? File.Exists(app.DatabasePath) : TestDatabase.DatabaseExists(app.Directory));
        string[] expected;
        using (var scope = app.Services.CreateScope())
        {
            expected = [.. scope.ServiceProvider.GetRequiredService<RotorDbContext>().Database.GetMigrations()];
        }

        Assert.NotEmpty(expected);
        var applied = await Database.QueryStringsAsync(app, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId");
        Assert.Equal(expected, applied);
        Assert.Contains(applied, m => m!.EndsWith("_InitialCreate", StringComparison.Ordinal));
        if (sqlite)
        {
            Assert.Equal("wal", Assert.Single(await Database.QueryStringsAsync(app, "PRAGMA journal_mode;")), ignoreCase: true);
        }

        var tables = await Database.QueryStringsAsync(app, sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
        Assert.Contains("rotor_sessions", tables);
        Assert.Contains("rotor_security_events", tables);
        Assert.Contains("AspNetUsers", tables);
    }

    [Fact]
    public async Task A_second_host_on_the_same_database_migrates_nothing_again_and_shares_the_sessions()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rotor-tests", Guid.NewGuid().ToString("N"));

        // Disposed in reverse order; whichever goes first deletes the shared folder, so every check happens inside.
        using var first = new RotorApp(directory: directory);
        using var client = first.Client();
        var session = await client.NewNativeSessionAsync();
        var historyBefore = await Database.QueryStringsAsync(first, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId");

        using var second = new RotorApp(directory: directory);
        using var secondClient = second.Client();
        using var refreshed = await secondClient.RefreshNativeAsync(session.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(historyBefore, await Database.QueryStringsAsync(first, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId"));
    }

    private async Task<long> GenerationAsync(Guid sessionId) =>
        await Database.CountAsync(_app, $"SELECT Generation FROM rotor_sessions WHERE Id = '{sessionId.ToString().ToUpperInvariant()}' OR Id = '{sessionId}'");

    /// <summary>
    /// Holds the database's write lock from another connection, as another process would, until disposed.
    /// The app's connections time out after about two seconds.
    /// </summary>
    private async Task<SqliteConnection> LockDatabaseAsync()
    {
        var connection = new SqliteConnection($"Data Source={_app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE;";
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}

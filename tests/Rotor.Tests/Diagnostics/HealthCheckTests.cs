using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Diagnostics;

/// <summary>
/// Liveness never touches the database; readiness reads it without the write lock, so neither queues behind
/// rotations or another process's write, and probing them costs the write path nothing.
/// </summary>
public sealed class HealthCheckTests : IDisposable
{
    private static readonly string[] Paths = ["/healthz/live", "/healthz/ready", "/healthz"];

    private readonly RotorApp _app = new(new Dictionary<string, string?>
    {
        // Keep the background work out of the way.
        ["Rotor:PurgeInterval"] = "1.00:00:00",
    });

    private readonly RotorClient _client;

    public HealthCheckTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Every_probe_answers_healthy_and_is_never_cached()
    {
        foreach (var path in Paths)
        {
            using var response = await _client.Http.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("{\"status\":\"healthy\"}", await response.Content.ReadAsStringAsync());
            Assert.True(response.Headers.CacheControl?.NoStore, path);
        }
    }

    [SqliteOnlyFact("SQLite's file-wide write lock; on PostgreSQL readers never wait for writers' row locks (PostgreSqlReadinessTests holds one)")]
    public async Task While_another_connection_holds_the_write_lock_every_probe_answers_200_at_once()
    {
        await _client.NewNativeSessionAsync();

        await using (var locked = await LockDatabaseAsync())
        {
            foreach (var path in Paths)
            {
                // The host's connections wait two seconds for a lock before failing: well under that means no wait.
                var clock = Stopwatch.StartNew();
                using var response = await _client.Http.GetAsync(path);
                clock.Stop();

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"{path} took {clock.Elapsed}");
            }
        }
    }

    [SqliteOnlyFact("moves the SQLite file away; the PostgreSQL counterpart stops a server of its own (PostgreSqlReadinessTests)")]
    public async Task When_the_database_file_is_unreachable_ready_is_503_and_live_is_200()
    {
        using (var before = await _client.Http.GetAsync("/healthz/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var moved = _app.DatabasePath + ".away";
        SqliteConnection.ClearAllPools();
        File.Move(_app.DatabasePath, moved);
        // A folder where the file was: SQLite can neither open it nor create a fresh database there.
        Directory.CreateDirectory(_app.DatabasePath);
        try
        {
            foreach (var path in (string[])["/healthz/ready", "/healthz"])
            {
                using var response = await _client.Http.GetAsync(path);
                await RotorClient.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.True(response.Headers.CacheControl?.NoStore, path);
            }

            using var live = await _client.Http.GetAsync("/healthz/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            Directory.Delete(_app.DatabasePath);
            File.Move(moved, _app.DatabasePath);
        }

        SqliteConnection.ClearAllPools();
        using var after = await _client.Http.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>Holds the database's write lock from another connection, as another process would, until disposed.</summary>
    private async Task<SqliteConnection> LockDatabaseAsync()
    {
        var connection = new SqliteConnection($"Data Source={_app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE;";
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}

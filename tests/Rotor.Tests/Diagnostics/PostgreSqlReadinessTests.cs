using System.Diagnostics;
using System.Net;
using Npgsql;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Diagnostics;

/// <summary>
/// PostgreSQL counterparts of <see cref="HealthCheckTests"/>' SQLite cases, on a server of the class's own: readiness
/// follows the server down and back up (liveness never does), probes never wait behind a writer's row locks, and a
/// stuck database (a table locked by someone else) turns into 503s after the command timeout, not into requests that hang.
/// </summary>
public sealed class PostgreSqlReadinessTests(OutageCluster cluster) : IClassFixture<OutageCluster>, IDisposable
{
    private RotorApp? _app;
    private RotorClient? _client;

    private RotorClient Client
    {
        get
        {
            _app ??= new RotorApp(new Dictionary<string, string?>
            {
                // The host's statements give up after two seconds, as the SQLite tests' busy timeout does.
                ["ConnectionStrings:Rotor"] = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { CommandTimeout = 2 }.ConnectionString,
                ["Rotor:PurgeInterval"] = "1.00:00:00",
            });
            return _client ??= _app.Client();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _app?.Dispose();
    }

    [PostgreSqlOnlyFact("stops a PostgreSQL server; the SQLite counterpart moves the file away (HealthCheckTests)")]
    public async Task While_postgresql_is_down_ready_is_503_live_is_200_and_ready_comes_back()
    {
        var session = await Client.NewNativeSessionAsync();
        using (var before = await Client.Http.GetAsync("/healthz/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (await cluster.OutageAsync())
        {
            // Twice round: the first probe meets the pooled connection the shutdown ended, the rest refused connections.
            for (var round = 0; round < 2; round++)
            {
                foreach (var path in (string[])["/healthz/ready", "/healthz"])
                {
                    using var response = await Client.Http.GetAsync(path);
                    await RotorClient.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
                    Assert.NotNull(response.Headers.RetryAfter);
                    Assert.True(response.Headers.CacheControl?.NoStore, path);
                }

                using var live = await Client.Http.GetAsync("/healthz/live");
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }
        }

        // A load balancer probing during the outage has already cleared the dead connections: the first answers are good.
        using (var after = await Client.Http.GetAsync("/healthz/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }

        using var refreshed = await Client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [PostgreSqlOnlyFact("PostgreSQL's row locks; the SQLite counterpart holds the file's write lock (HealthCheckTests, DatabaseFailureTests)")]
    public async Task While_another_connection_holds_a_sessions_row_lock_probes_answer_at_once_and_that_refresh_is_503()
    {
        var session = await Client.NewNativeSessionAsync();

        await using (var locker = await LockAsync($"SELECT 1 FROM rotor_sessions WHERE \"Id\" = '{session.SessionId}' FOR UPDATE"))
        {
            foreach (var path in (string[])["/healthz/live", "/healthz/ready", "/healthz"])
            {
                // The host's statements time out after two seconds: well under that means the probe did not wait.
                var clock = Stopwatch.StartNew();
                using var response = await Client.Http.GetAsync(path);
                clock.Stop();

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"{path} took {clock.Elapsed}");
            }

            // The rotation waits for the row until the command timeout, then gives up without changing anything.
            using var refresh = await Client.RefreshNativeAsync(session.RefreshToken);
            await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(refresh.Headers.RetryAfter);
        }

        using var after = await Client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [PostgreSqlOnlyFact("a PostgreSQL table locked by another session (a stuck migration or maintenance); SQLite has one file lock (DatabaseFailureTests)")]
    public async Task A_stuck_sessions_table_is_503_everywhere_after_the_command_timeout_and_recovers()
    {
        var session = await Client.NewNativeSessionAsync();
        var user = await Client.RegisterAsync();

        await using (var locker = await LockAsync("LOCK TABLE rotor_sessions IN ACCESS EXCLUSIVE MODE"))
        {
            using (var ready = await Client.Http.GetAsync("/healthz/ready"))
            {
                await RotorClient.AssertProblemAsync(ready, HttpStatusCode.ServiceUnavailable, "service_unavailable");
                Assert.NotNull(ready.Headers.RetryAfter);
            }

            using (var live = await Client.Http.GetAsync("/healthz/live"))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }

            var calls = await Task.WhenAll(
                Client.RefreshNativeAsync(session.RefreshToken),
                Client.LoginAsync((string)user["username"]!, mode: "native"),
                Client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = session.RefreshToken }));
            foreach (var call in calls)
            {
                await RotorClient.AssertProblemAsync(call, HttpStatusCode.ServiceUnavailable, "service_unavailable");
                Assert.NotNull(call.Headers.RetryAfter);
                call.Dispose();
            }
        }

        using (var ready = await Client.Http.GetAsync("/healthz/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        using var after = await Client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>Opens a transaction on another connection, runs <paramref name="sql"/> in it and holds what it locked until disposed.</summary>
    private async Task<NpgsqlConnection> LockAsync(string sql)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN; " + sql;
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}

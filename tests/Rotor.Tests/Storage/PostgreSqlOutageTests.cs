using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Storage;

/// <summary>
/// PostgreSQL counterparts of <see cref="DatabaseFailureTests"/>' locked SQLite file: the server itself goes away
/// (its own cluster, stopped with pg_ctl: open connections end with 57P01, new ones are refused) and comes back on the
/// same data. While it is down every call that needs it is 503 problem+json with Retry-After, never 401 (which would
/// sign the user out) nor 500; nothing is half-done; afterwards the same session refreshes without anyone signing in again.
/// </summary>
public sealed class PostgreSqlOutageTests(OutageCluster cluster) : IClassFixture<OutageCluster>, IDisposable
{
    private RotorApp? _app;
    private RotorClient? _client;

    private RotorClient Client
    {
        get
        {
            _app ??= new RotorApp(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Rotor"] = cluster.ConnectionString,
                // Keep the background work out of the way of the outage.
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

    [PostgreSqlOnlyFact("stops a PostgreSQL server; the SQLite counterpart holds the file's write lock (DatabaseFailureTests)")]
    public async Task A_refresh_while_postgresql_is_down_is_503_and_changes_nothing()
    {
        var session = await Client.NewNativeSessionAsync();
        var generationBefore = await GenerationAsync(session.SessionId);

        await using (await cluster.OutageAsync())
        {
            // Twice: the first meets the pooled connection the shutdown ended, the second a refused connection.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var response = await Client.RefreshNativeAsync(session.RefreshToken);
                await AssertUnavailableAsync(response);
                Assert.Null(RotorClient.SetCookie(response));
            }
        }

        Assert.Equal(generationBefore, await GenerationAsync(session.SessionId));
        using var after = await Client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(generationBefore + 1, await GenerationAsync(session.SessionId));
    }

    [PostgreSqlOnlyFact("stops a PostgreSQL server; the SQLite counterpart holds the file's write lock (DatabaseFailureTests)")]
    public async Task A_browser_refresh_while_postgresql_is_down_keeps_the_cookie()
    {
        var session = await Client.NewBrowserSessionAsync();

        await using (await cluster.OutageAsync())
        {
            using var response = await Client.RefreshBrowserAsync(session.Cookie);
            await AssertUnavailableAsync(response);
            // Clearing the cookie would sign the browser out because of the server's own failure.
            Assert.Null(RotorClient.SetCookie(response));
        }

        using var after = await Client.RefreshBrowserAsync(session.Cookie);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [PostgreSqlOnlyFact("stops a PostgreSQL server; the SQLite counterpart holds the file's write lock (DatabaseFailureTests)")]
    public async Task A_login_while_postgresql_is_down_is_503()
    {
        var user = await Client.RegisterAsync();
        var username = (string)user["username"]!;

        await using (await cluster.OutageAsync())
        {
            using var native = await Client.LoginAsync(username, mode: "native");
            await AssertUnavailableAsync(native);

            using var browser = await Client.LoginAsync(username);
            await AssertUnavailableAsync(browser);
            Assert.Null(RotorClient.SetCookie(browser));
        }

        Assert.Equal(0, await Database.CountAsync(_app!, $"SELECT COUNT(*) FROM rotor_sessions WHERE UserId = '{(string)user["id"]!}'"));
        using var after = await Client.LoginAsync(username, mode: "native");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [PostgreSqlOnlyFact("stops a PostgreSQL server; the SQLite counterpart holds the file's write lock (DatabaseFailureTests)")]
    public async Task Logout_and_revocation_while_postgresql_is_down_are_503_and_the_session_lives_on()
    {
        var session = await Client.NewNativeSessionAsync();

        await using (await cluster.OutageAsync())
        {
            using var logout = await Client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = session.RefreshToken });
            await AssertUnavailableAsync(logout);

            using var revoke = await Client.SendAsync(HttpMethod.Delete, $"/auth/sessions/{session.SessionId}", session.AccessToken);
            await AssertUnavailableAsync(revoke);

            using var logoutAll = await Client.SendAsync(HttpMethod.Post, "/auth/logout-all", session.AccessToken);
            await AssertUnavailableAsync(logoutAll);

            using var list = await Client.SendAsync(HttpMethod.Get, "/auth/sessions", session.AccessToken);
            await AssertUnavailableAsync(list);

            // The access token still proves who the caller is: it is checked in memory, and refusing it would be a 401.
            using var me = await Client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        using var after = await Client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [PostgreSqlOnlyFact("stops a PostgreSQL server; the SQLite counterpart holds the file's write lock (DatabaseFailureTests)")]
    public async Task A_registration_while_postgresql_is_down_is_503_not_a_conflict()
    {
        var username = RotorClient.NewName();
        await Client.RegisterAsync();

        await using (await cluster.OutageAsync())
        {
            using var register = await Client.SendAsync(HttpMethod.Post, "/auth/register", null, new { username, email = username + "@example.com", password = RotorClient.Password });

            // Neither the name nor the address is taken: the server simply could not write.
            await AssertUnavailableAsync(register);
        }

        var user = await Client.RegisterAsync(username);
        Assert.Equal(username, (string?)user["username"]);
    }

    [PostgreSqlOnlyFact("stops a PostgreSQL server; the SQLite counterpart holds the file's write lock (DatabaseFailureTests)")]
    public async Task After_an_unwatched_restart_a_client_recovers_by_itself_with_one_503_at_most()
    {
        // Several pooled connections, all ended by the shutdown, and no request while the server is down to notice.
        var sessions = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Client.NewNativeSessionAsync()));
        await Task.WhenAll(sessions.Select(async s => (await Client.RefreshNativeAsync(s.RefreshToken)).Dispose()));

        await cluster.StopAsync();
        await cluster.StartAsync();

        // The first statement meets a connection the server ended (57P01): 503 with Retry-After, never a 401. Npgsql
        // then drops the pool's dead connections, so the retry, and every session's next call, succeeds.
        var session = sessions[0];
        using (var first = await Client.RefreshNativeAsync(session.RefreshToken))
        {
            if (first.StatusCode != HttpStatusCode.OK)
            {
                await AssertUnavailableAsync(first);
                using var retry = await Client.RefreshNativeAsync(session.RefreshToken);
                Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            }
        }

        var responses = await Task.WhenAll(sessions.Skip(1).Select(s => Client.RefreshNativeAsync(s.RefreshToken)));
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            response.Dispose();
        }
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private async Task<long> GenerationAsync(Guid sessionId) =>
        await Database.CountAsync(_app!, $"SELECT Generation FROM rotor_sessions WHERE Id = '{sessionId}'");
}

using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Sessions;

/// <summary>
/// Concurrent refreshes are grouped (SQLite: one transaction; PostgreSQL: one statement): whatever shares a batch,
/// every request gets the answer it would have got alone, and a failing batch is a 503 for each of its requests.
/// </summary>
public sealed class RotationBatchTests : IDisposable
{
    private readonly RotorApp _app = new(new Dictionary<string, string?>
    {
        ["Rotor:RotationGracePeriod"] = "00:00:10",
        ["Rotor:PurgeInterval"] = "1.00:00:00",
    });

    private readonly RotorClient _client;

    public RotationBatchTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_hundred_concurrent_refreshes_of_one_token_rotate_it_once_and_all_get_its_successor()
    {
        var session = await _client.NewNativeSessionAsync();

        var tokens = await RefreshAllAsync(Enumerable.Repeat(session.RefreshToken, 100));

        // One rotation; the rest were grace answers with the same successor, none counted as reuse.
        var successor = Assert.Single(tokens.Distinct());
        Assert.Equal(["1"], await Database.QueryStringsAsync(_app, $"SELECT Generation FROM rotor_sessions WHERE Id = {Id(session)}"));
        Assert.Equal([null], await Database.QueryStringsAsync(_app, $"SELECT RevokedAt FROM rotor_sessions WHERE Id = {Id(session)}"));
        using var next = await _client.RefreshNativeAsync(successor);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Concurrent_refreshes_of_many_sessions_each_rotate_exactly_once()
    {
        var sessions = new List<NativeSession>();
        for (var i = 0; i < 12; i++)
        {
            sessions.Add(await _client.NewNativeSessionAsync());
        }

        // Four requests per session, interleaved, so batches mix sessions and hold some of them twice.
        var presented = Enumerable.Range(0, 4).SelectMany(_ => sessions).Select(s => s.RefreshToken).ToList();
        var tokens = await RefreshAllAsync(presented);

        var successors = new List<string>();
        foreach (var session in sessions)
        {
            var answers = presented.Select((token, i) => (token, i)).Where(p => p.token == session.RefreshToken).Select(p => tokens[p.i]);
            successors.Add(Assert.Single(answers.Distinct()));
            Assert.Equal(["1"], await Database.QueryStringsAsync(_app, $"SELECT Generation FROM rotor_sessions WHERE Id = {Id(session)}"));
        }

        Assert.Equal(sessions.Count, successors.Distinct().Count());
        // The successors are current: each rotates once more, again all at once.
        Assert.Equal(sessions.Count, (await RefreshAllAsync(successors)).Distinct().Count());
        Assert.Equal(0, await Database.CountAsync(_app, "SELECT COUNT(*) FROM rotor_sessions WHERE RevokedAt IS NOT NULL"));
    }

    [Fact]
    public async Task A_stale_token_among_concurrent_current_ones_is_reuse_and_ends_the_session()
    {
        var session = await _client.NewNativeSessionAsync();
        using var first = await _client.RefreshNativeAsync(session.RefreshToken);
        var current = (string)(await RotorClient.ReadJsonAsync(first))["refreshToken"]!;
        _app.Time.Advance(TimeSpan.FromSeconds(11));

        var responses = await Task.WhenAll(Enumerable.Range(0, 11).Select(i =>
            _client.RefreshNativeAsync(i == 5 ? session.RefreshToken : current)));

        await RotorClient.AssertProblemAsync(responses[5], HttpStatusCode.Unauthorized, "refresh_token_reused");
        foreach (var response in responses.Where((_, i) => i != 5))
        {
            // Before the replay: rotated (or the same successor in grace); after it: the session is gone.
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "session_revoked");
            }
        }

        Assert.Equal(1, await Database.CountAsync(_app, $"SELECT COUNT(*) FROM rotor_sessions WHERE RevokedAt IS NOT NULL AND Id = {Id(session)}"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_failing_rotation_batch_answers_every_request_503_and_rotates_nothing()
    {
        var sessions = new List<NativeSession>();
        for (var i = 0; i < 5; i++)
        {
            sessions.Add(await _client.NewNativeSessionAsync());
        }

        await FailRotationsAsync(true);
        HttpResponseMessage[] responses;
        try
        {
            responses = await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => sessions).Select(s => _client.RefreshNativeAsync(s.RefreshToken)));
        }
        finally
        {
            await FailRotationsAsync(false);
        }

        foreach (var response in responses)
        {
            // The server's own failure: never a 401 that would sign the user out.
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
            response.Dispose();
        }

        Assert.Equal(0, await Database.CountAsync(_app, "SELECT COUNT(*) FROM rotor_sessions WHERE Generation <> 0 OR RevokedAt IS NOT NULL"));
        // Nothing was rotated, so the tokens the clients still hold work once the database does.
        Assert.Equal(sessions.Count, (await RefreshAllAsync(sessions.Select(s => s.RefreshToken))).Distinct().Count());
    }

    private async Task<List<string>> RefreshAllAsync(IEnumerable<string> refreshTokens)
    {
        var responses = await Task.WhenAll(refreshTokens.Select(_client.RefreshNativeAsync));
        var tokens = new List<string>();
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            tokens.Add((string)(await RotorClient.ReadJsonAsync(response))["refreshToken"]!);
            response.Dispose();
        }

        return tokens;
    }

    /// <summary>A trigger that makes every rotation statement fail, as a database error mid-statement would.</summary>
    private async Task FailRotationsAsync(bool fail)
    {
        await using var connection = Database.Open(_app);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = (TestDatabase.IsPostgreSql, fail) switch
        {
            (true, true) =>
                "CREATE FUNCTION rotor_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'rotations fail in this test'; END $$; " +
                "CREATE TRIGGER rotor_test_fail BEFORE UPDATE OF \"Generation\" ON rotor_sessions FOR EACH ROW EXECUTE FUNCTION rotor_test_fail();",
            (true, false) => "DROP TRIGGER rotor_test_fail ON rotor_sessions; DROP FUNCTION rotor_test_fail();",
            (false, true) => "CREATE TRIGGER rotor_test_fail BEFORE UPDATE OF Generation ON rotor_sessions BEGIN SELECT RAISE(ABORT, 'rotations fail in this test'); END;",
            (false, false) => "DROP TRIGGER rotor_test_fail;",
        };
        await command.ExecuteNonQueryAsync();
    }

    private static string Id(NativeSession session) => $"'{session.SessionId.ToString().ToUpperInvariant()}'";
}

using System.Net;
using Microsoft.Data.Sqlite;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Dpop;

/// <summary>
/// When the replay cache (a table) cannot be written, a proof gets no verdict: 503 with Retry-After, never a 401 that
/// would send the client to sign in again, and never a pass.
/// </summary>
public sealed class DpopOutageTests : IDisposable
{
    private const string Reason = "SQLite's file-wide write lock held by another process; PostgreSQL outages are PostgreSqlOutageTests' (own server)";
    private readonly RotorApp _app = new(new Dictionary<string, string?> { ["Rotor:PurgeInterval"] = "1.00:00:00" });
    private readonly RotorClient _client;
    private readonly DpopKey _key = DpopKey.NewEc();

    public DpopOutageTests() => _client = _app.Client();

    public void Dispose()
    {
        _key.Dispose();
        _client.Dispose();
        _app.Dispose();
    }

    [SqliteOnlyFact(Reason)]
    public async Task A_bound_API_call_and_a_bound_refresh_while_the_database_is_locked_are_503_and_work_afterwards()
    {
        var session = await _client.NewBoundSessionAsync(_key);

        await using (var connection = new SqliteConnection($"Data Source={_app.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "BEGIN EXCLUSIVE;";
                await command.ExecuteNonQueryAsync();
            }

            using var api = await _client.GetWithProofAsync("/api/demo/time", session.AccessToken, "DPoP", _client.ProofFor(_key, HttpMethod.Get, "/api/demo/time", session.AccessToken));
            await RotorClient.AssertProblemAsync(api, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.NotNull(api.Headers.RetryAfter);

            using var refresh = await _client.RefreshWithProofAsync(session.RefreshToken, _client.ProofFor(_key, HttpMethod.Post, "/auth/refresh"));
            await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        }

        using var after = await _client.GetWithProofAsync("/api/demo/time", session.AccessToken, "DPoP", _client.ProofFor(_key, HttpMethod.Get, "/api/demo/time", session.AccessToken));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        await _client.RefreshBoundAsync(session, _key);
    }
}

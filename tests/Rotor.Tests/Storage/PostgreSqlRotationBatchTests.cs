using System.Net;
using Npgsql;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Storage;

/// <summary>
/// PostgreSQL's rotation batch never waits for a row lock another transaction holds (another instance's statement,
/// a revocation): it rotates the sessions it could lock and leaves the held one to a single-row compare-and-swap.
/// </summary>
public sealed class PostgreSqlRotationBatchTests : IDisposable
{
    private readonly RotorApp _app = new(new Dictionary<string, string?>
    {
        ["Rotor:RotationGracePeriod"] = "00:00:10",
        ["Rotor:PurgeInterval"] = "1.00:00:00",
    });

    private readonly RotorClient _client;

    public PostgreSqlRotationBatchTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [PostgreSqlOnlyFact("a row lock held by another transaction; SQLite has one writer, which the process queues for")]
    public async Task A_session_locked_elsewhere_holds_up_only_its_own_refreshes_which_then_converge()
    {
        var held = await _client.NewNativeSessionAsync();
        var others = new List<NativeSession>();
        for (var i = 0; i < 6; i++)
        {
            others.Add(await _client.NewNativeSessionAsync());
        }

        Task<HttpResponseMessage>[] heldRefreshes;
        await using (var connection = new NpgsqlConnection(_app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM rotor_sessions WHERE \"Id\" = '{held.SessionId}' FOR UPDATE", connection, transaction))
            {
                await lockRow.ExecuteNonQueryAsync();
            }

            heldRefreshes = Enumerable.Range(0, 5).Select(_ => _client.RefreshNativeAsync(held.RefreshToken)).ToArray();
            var otherResponses = await Task.WhenAll(others.Select(s => _client.RefreshNativeAsync(s.RefreshToken)));

            // Every other session rotated while the row was held: the batches did not queue behind it.
            Assert.All(otherResponses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.DoesNotContain(heldRefreshes, t => t.IsCompleted);
            await transaction.CommitAsync();
        }

        var responses = await Task.WhenAll(heldRefreshes);
        var tokens = new HashSet<string>();
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            tokens.Add((string)(await RotorClient.ReadJsonAsync(response))["refreshToken"]!);
            response.Dispose();
        }

        Assert.Single(tokens);
        Assert.Equal(["1"], await Database.QueryStringsAsync(_app, $"SELECT Generation FROM rotor_sessions WHERE Id = '{held.SessionId}'"));
    }
}

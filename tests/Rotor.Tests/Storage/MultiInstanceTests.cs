using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Storage;

/// <summary>Two server instances on one database file and one key folder, as two processes would run.</summary>
public sealed class MultiInstanceTests : IDisposable
{
    private readonly TwoInstances _pair = new(directory => new RotorApp(directory: directory));

    public void Dispose() => _pair.Dispose();

    [Fact]
    public async Task Concurrent_refreshes_of_one_token_on_two_instances_rotate_it_exactly_once()
    {
        var session = await _pair.A.NewNativeSessionAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? _pair.A : _pair.B).RefreshNativeAsync(session.RefreshToken)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tokens = new HashSet<string>();
        foreach (var response in responses)
        {
            tokens.Add((string)(await RotorClient.ReadJsonAsync(response))["refreshToken"]!);
            response.Dispose();
        }

        Assert.Single(tokens);
        Assert.Equal(["1"], await Database.QueryStringsAsync(_pair.First, $"SELECT Generation FROM rotor_sessions WHERE Id = '{session.SessionId.ToString().ToUpperInvariant()}'"));
    }

    [Fact]
    public async Task Reuse_detected_on_one_instance_ends_the_session_on_the_other()
    {
        var session = await _pair.A.NewNativeSessionAsync();
        using var rotated = await _pair.A.RefreshNativeAsync(session.RefreshToken);
        var current = (string)(await RotorClient.ReadJsonAsync(rotated))["refreshToken"]!;

        _pair.Second.Time.Advance(TimeSpan.FromMinutes(1));
        using var replay = await _pair.B.RefreshNativeAsync(session.RefreshToken);
        await RotorClient.AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "refresh_token_reused");

        using var onFirst = await _pair.A.RefreshNativeAsync(current);
        await RotorClient.AssertProblemAsync(onFirst, HttpStatusCode.Unauthorized, "session_revoked");
    }
}

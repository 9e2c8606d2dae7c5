namespace Rotor.Fleet.Tests;

/// <summary>PostgreSQL restarted while sessions refresh through nginx.</summary>
[Collection(FleetTests.Name)]
public sealed class PostgresRestartTests(Fleet fleet, ITestOutputHelper output)
{
    [Fact]
    public async Task Clients_see_503_with_retry_after_never_401_and_recover_on_their_own()
    {
        var sessions = await fleet.Client.NewSessionsAsync(fleet, 16);
        var load = new RefreshLoad(fleet.Client, fleet.Balancer, sessions);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token, checkAccessTokens: true);

        await Task.Delay(TimeSpan.FromSeconds(1));
        var downAt = load.Clock.Elapsed;
        await fleet.RunAsync("pg-restart", "1");
        var upAt = load.Clock.Elapsed;
        // Long enough for every client to come back after the 503's Retry-After (5 s) and refresh again.
        await Task.Delay(TimeSpan.FromSeconds(7));
        await stop.CancelAsync();
        await running;
        var lost = await load.FinishAsync(TimeSpan.FromSeconds(30));

        var unavailable = load.Failures.Count(f => f.Status == 503);
        var afterUp = load.Failures.Where(f => f.At > upAt).ToArray();
        fleet.Report(output, $"PostgreSQL restart (down {(upAt - downAt).TotalSeconds:0.0} s, pg_ctl stop -m fast, 1 s, start) under load (16 sessions refreshing through nginx, "
            + $"{load.Succeeded} refreshes in {load.Clock.Elapsed.TotalSeconds:0.0} s): {unavailable} answers 503 ({load.Failures.Count(f => f.Status == 503 && f.HadRetryAfter)} with Retry-After), "
            + $"failures by status {load.Describe(TimeSpan.Zero, load.Clock.Elapsed)}, {afterUp.Length} after PostgreSQL was back; "
            + $"401: {load.Failures.Count(f => f.Status == 401)}; access tokens refused: {load.AccessTokensRefused}; sessions lost: {lost.Length}");
        Assert.DoesNotContain(load.Failures, f => f.Status == 401);
        Assert.All(load.Failures.Where(f => f.Status == 503), f => Assert.True(f.HadRetryAfter, "a 503 without Retry-After"));
        Assert.Equal(0, load.AccessTokensRefused);
        Assert.Empty(lost);
        Assert.True(load.Failures.Any(f => f.Status == 503), "the outage was seen (503)");
    }
}

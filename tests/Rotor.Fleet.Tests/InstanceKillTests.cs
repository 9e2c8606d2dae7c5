namespace Rotor.Fleet.Tests;

/// <summary>kill -9 of one host while sessions refresh through nginx.</summary>
[Collection(FleetTests.Name)]
public sealed class InstanceKillTests(Fleet fleet, ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_a_host_under_refresh_load_loses_no_session()
    {
        var sessions = await fleet.Client.NewSessionsAsync(fleet, 40);
        // 32 through nginx; 8 straight to the host that dies, going on with host 3 when it stops answering.
        var load = new RefreshLoad(fleet.Client, fleet.Balancer, sessions[..32]);
        var direct = new RefreshLoad(fleet.Client, fleet.Hosts[1], sessions[32..], fallback: fleet.Hosts[2]);
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(load.RunAsync(stop.Token, checkAccessTokens: true), direct.RunAsync(stop.Token, checkAccessTokens: true));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var killedAt = load.Clock.Elapsed;
        await fleet.RunAsync("kill", "2");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await stop.CancelAsync();
        await running;
        var lost = (await load.FinishAsync(TimeSpan.FromSeconds(20))).Concat(await direct.FinishAsync(TimeSpan.FromSeconds(20))).ToArray();
        await fleet.RunAsync("restart", "2");

        var window = TimeSpan.FromSeconds(1);
        var atKill = load.Failures.Count(f => f.At >= killedAt && f.At <= killedAt + window);
        var directAtKill = direct.Failures.Count(f => f.At >= killedAt && f.At <= killedAt + window);
        fleet.Report(output, $"kill -9 host 2 under load (32 sessions refreshing through nginx, each new access token checked with /users/me, {load.Succeeded} refreshes in {load.Clock.Elapsed.TotalSeconds:0.0} s): "
            + $"{atKill} refreshes failed within 1 s of the kill ({load.Describe(killedAt, killedAt + window)}), "
            + $"{load.Failures.Count} failed in all ({load.Describe(TimeSpan.Zero, load.Clock.Elapsed)}); "
            + $"8 sessions refreshing on host 2 directly, moving to host 3 when it stopped answering ({direct.Succeeded} refreshes): "
            + $"{directAtKill} failed within 1 s of the kill ({direct.Describe(killedAt, killedAt + window)}), {direct.Failures.Count} in all; "
            + $"access tokens refused: {load.AccessTokensRefused + direct.AccessTokensRefused}; sessions lost: {lost.Length}");
        Assert.Empty(load.Lost);
        Assert.Empty(direct.Lost);
        Assert.Empty(lost);
        Assert.Equal(0, load.AccessTokensRefused + direct.AccessTokensRefused);
        Assert.True(load.Succeeded > 32 && direct.Succeeded > 8, "the load ran");
    }
}

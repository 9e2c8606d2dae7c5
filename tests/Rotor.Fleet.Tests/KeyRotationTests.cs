namespace Rotor.Fleet.Tests;

/// <summary>
/// A signing-key rotation while the fleet serves. The fleet under test rotates within seconds (scripts/test.sh starts it
/// with Rotor:Keys:SigningKeyLifetime 8 s, AnnouncePeriod 4 s, JwksCacheDuration 2 s, CheckInterval 1 s).
/// </summary>
[Collection(FleetTests.Name)]
public sealed class KeyRotationTests(Fleet fleet, ITestOutputHelper output)
{
    [Fact]
    public async Task Sessions_refreshing_across_a_signing_key_rotation_get_no_401()
    {
        var sessions = await fleet.Client.NewSessionsAsync(fleet, 8);
        var firstToken = sessions[0].AccessToken;
        var firstKid = FleetClient.Kid(firstToken);
        var load = new RefreshLoad(fleet.Client, fleet.Balancer, sessions);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token, checkAccessTokens: true);

        // Until new tokens are signed by another key, and a little past it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string kid;
        while ((kid = FleetClient.Kid(sessions[0].AccessToken)) == firstKid && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        // Past the boundary long enough for every host to have signed with the new key (they check keys every second).
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await running;
        var lost = await load.FinishAsync(TimeSpan.FromSeconds(20));
        var published = await Task.WhenAll(fleet.Hosts.Select(fleet.Client.JwksKidsAsync));

        fleet.Report(output, $"signing-key rotation under load (8 sessions refreshing through nginx, each new access token checked with /users/me, "
            + $"{load.Succeeded} refreshes in {load.Clock.Elapsed.TotalSeconds:0.0} s): kid {(kid == firstKid ? "unchanged" : "changed")}, "
            + $"refresh failures {load.Describe(TimeSpan.Zero, load.Clock.Elapsed)}, access tokens refused {load.AccessTokensRefused}, sessions lost {lost.Length}");
        Assert.True(kid != firstKid, "no rotation within 30 s: start the fleet with short key periods (see scripts/test.sh)");
        Assert.Empty(load.Failures);
        Assert.Equal(0, load.AccessTokensRefused);
        Assert.Empty(lost);
        // The new key is published everywhere, and a token the old key signed still works on every host.
        Assert.All(published, kids => Assert.Contains(kid, kids));
        foreach (var host in fleet.Hosts)
        {
            Assert.Equal(200, await fleet.Client.MeAsync(host, firstToken));
        }
    }
}

namespace Rotor.Fleet.Tests;

/// <summary>One refresh token presented 100 times at once, through nginx and to each host directly.</summary>
[Collection(FleetTests.Name)]
public sealed class ConcurrentRefreshTests(Fleet fleet, ITestOutputHelper output)
{
    [Fact]
    public async Task Hundred_concurrent_refreshes_of_one_token_across_the_fleet_converge_on_one_successor()
    {
        var session = (await fleet.Client.NewSessionsAsync(fleet, 1))[0];
        Uri[] targets = [fleet.Balancer, .. fleet.Hosts];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var refreshes = Enumerable.Range(0, 100).Select(async i =>
        {
            await start.Task;
            return await fleet.Client.RefreshAsync(targets[i % targets.Length], session.RefreshToken);
        }).ToArray();
        start.SetResult();
        var answers = await Task.WhenAll(refreshes);

        // One rotation wins; every other presentation is within the grace period and answers with the session's current
        // token: one successor for all.
        var statuses = string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{g.Key}×{g.Count()}"));
        fleet.Report(output, $"concurrent refresh: 100 presentations of one token over nginx + 3 hosts: {statuses}; distinct successors {answers.Select(a => a.RefreshToken).Distinct().Count()}");
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        var successor = Assert.Single(answers.Select(a => a.RefreshToken).Distinct());
        Assert.NotEqual(session.RefreshToken, successor);

        // Not revoked: the successor rotates, and the access tokens work on every host.
        var next = await fleet.Client.RefreshAsync(fleet.Balancer, successor!);
        Assert.Equal(200, next.Status);
        foreach (var host in fleet.Hosts)
        {
            Assert.Equal(200, await fleet.Client.MeAsync(host, next.AccessToken!));
            Assert.Equal(200, await fleet.Client.MeAsync(host, answers[0].AccessToken!));
        }
    }
}

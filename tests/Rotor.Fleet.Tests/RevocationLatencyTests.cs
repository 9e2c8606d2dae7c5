using System.Diagnostics;

namespace Rotor.Fleet.Tests;

/// <summary>A logout on one host, and how long its access token still works on the two others.</summary>
[Collection(FleetTests.Name)]
public sealed class RevocationLatencyTests(Fleet fleet, ITestOutputHelper output)
{
    private const int Revocations = 100;

    /// <summary>Revocations before the measured ones: a host fresh from start-up runs its first ones through the JIT.</summary>
    private const int WarmUp = 20;

    /// <summary>
    /// Set ROTOR_FLEET_REVOCATION_P99_MS (scripts/test.sh sets 1000 with a one-minute poll, so only NOTIFY passes; the 100 ms target is reported, not asserted, as timings on a noisy machine are) to assert the p99; without it the figures are only reported.
    /// </summary>
    private static readonly double? AssertedP99 =
        double.TryParse(Environment.GetEnvironmentVariable("ROTOR_FLEET_REVOCATION_P99_MS"), System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : null;

    [Fact]
    public async Task A_session_revoked_on_one_host_is_refused_by_the_others()
    {
        var sessions = await fleet.Client.NewSessionsAsync(fleet, WarmUp + Revocations, perUser: 10);
        var warmUp = await RevokeAsync(sessions[..WarmUp]);
        var latencies = await RevokeAsync(sessions[WarmUp..]);

        var slow = latencies.Select((ms, i) => (ms, i)).Where(x => x.ms > 100).Select(x => $"#{x.i} {x.ms:0} ms").ToArray();
        Array.Sort(latencies);
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        fleet.Report(output, $"revocation: logout on host 1, access token refused by hosts 2 and 3 after p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms "
            + $"({Revocations} revocations started 20 ms apart; /users/me polled every 2 ms, then 50 ms after 200 ms); over 100 ms: {(slow.Length == 0 ? "none" : string.Join(", ", slow))}"
            + $"; the {WarmUp} before them (warm-up, not counted): max {warmUp.Max():0.0} ms" + (AssertedP99 is null ? "; not asserted" : ""));
        if (AssertedP99 is { } limit)
        {
            Assert.True(p99 <= limit, $"p99 {p99:0.0} ms > {limit} ms");
        }
    }

    /// <summary>
    /// Signs each session out on host 1, one at a time started 20 ms apart (so a slow revocation does not hold the others
    /// up), and returns for each how long until hosts 2 and 3 both refused its access token.
    /// </summary>
    private async Task<double[]> RevokeAsync(FleetSession[] sessions)
    {
        var a = fleet.Hosts[0];
        var others = fleet.Hosts.Skip(1).ToArray();
        var latencies = new double[sessions.Length];
        await Task.WhenAll(sessions.Select(async (session, i) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20 * i));
            foreach (var host in others)
            {
                // Seen (and cached) by both before the revocation, as a token in use would be.
                Assert.Equal(200, await fleet.Client.MeAsync(host, session.AccessToken));
            }

            Assert.Equal(204, await fleet.Client.LogoutAsync(a, session.RefreshToken));
            var revoked = Stopwatch.StartNew();
            latencies[i] = (await Task.WhenAll(others.Select(host => RefusedAfterAsync(host, session.AccessToken, revoked)))).Max();
        }));
        return latencies;
    }

    /// <summary>Polls <paramref name="host"/> with the token until it answers 401; the time since the revocation then.</summary>
    private async Task<double> RefusedAfterAsync(Uri host, string accessToken, Stopwatch revoked)
    {
        while (true)
        {
            var status = await fleet.Client.MeAsync(host, accessToken);
            if (status == 401)
            {
                return revoked.Elapsed.TotalMilliseconds;
            }

            Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(30), $"the token still works on {host} 30 s after its session was revoked");
            await Task.Delay(revoked.Elapsed < TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(2) : TimeSpan.FromMilliseconds(50));
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

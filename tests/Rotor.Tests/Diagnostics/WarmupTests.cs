using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Diagnostics;

/// <summary>
/// Rotor:Warmup: readiness waits for the warm-up, liveness does not; the warm-up leaves nothing behind (no session,
/// user, event or rate-limit count) and the instance then serves as any other. Its time is the host's TimeProvider,
/// so the fake clock decides when a duration-bound warm-up ends.
/// </summary>
public sealed class WarmupTests
{
    [Fact]
    public async Task Ready_is_503_while_the_warmup_runs_and_200_once_its_time_is_up()
    {
        using var app = new RotorApp(new Dictionary<string, string?>
        {
            ["Rotor:Warmup:Enabled"] = "true",
            ["Rotor:Warmup:Duration"] = "00:00:30",
            ["Rotor:PurgeInterval"] = "1.00:00:00",
        });
        using var client = app.Client();

        foreach (var path in (string[])["/healthz/ready", "/healthz"])
        {
            using var response = await client.Http.GetAsync(path);
            var problem = await RotorClient.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            Assert.Contains("warms up", (string?)problem["detail"], StringComparison.Ordinal);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.True(response.Headers.CacheControl?.NoStore, path);
        }

        using (var live = await client.Http.GetAsync("/healthz/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        // The warm-up's clock is the host's: a second of it passes per probe, and readiness comes only after thirty.
        var before = app.Time.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(client, () => app.Time.Advance(TimeSpan.FromSeconds(1))));
        Assert.True(app.Time.GetUtcNow() - before >= TimeSpan.FromSeconds(30), $"ready after {app.Time.GetUtcNow() - before}");
    }

    [Fact]
    public async Task A_warmup_by_rounds_leaves_no_rows_counts_no_limit_and_the_instance_then_serves()
    {
        using var app = new RotorApp(new Dictionary<string, string?>
        {
            ["Rotor:Warmup:Enabled"] = "true",
            ["Rotor:Warmup:Iterations"] = "200",
            ["Rotor:Warmup:Duration"] = "00:05:00",
            ["Rotor:PurgeInterval"] = "1.00:00:00",
        });
        using var client = app.Client();

        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(client));

        foreach (var table in (string[])["rotor_sessions", "rotor_security_events", "rotor_rate_limits", "rotor_sign_in_failures", "AspNetUsers"])
        {
            Assert.True(0 == await Database.CountAsync(app, $"SELECT COUNT(*) FROM {table}"), table);
        }

        var session = await client.NewNativeSessionAsync();
        using var refreshed = await client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Theory]
    [InlineData("Rotor:Warmup:Duration", "00:00:00", "Rotor:Warmup:Duration")]
    [InlineData("Rotor:Warmup:Duration", "01:00:00", "Rotor:Warmup:Duration")]
    [InlineData("Rotor:Warmup:Iterations", "0", "Rotor:Warmup:Iterations")]
    [InlineData("Rotor:Warmup:Concurrency", "0", "Rotor:Warmup:Concurrency")]
    [InlineData("Rotor:Warmup:Concurrency", "65", "Rotor:Warmup:Concurrency")]
    public void A_bad_warmup_setting_stops_the_start_with_a_message_naming_it(string key, string value, string expected)
    {
        using var app = new RotorApp(new Dictionary<string, string?> { ["Rotor:Warmup:Enabled"] = "true", [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }

    /// <summary>Polls readiness for up to 30 s of real time (the warm-up runs on the machine's own pace); returns the last status.</summary>
    private static async Task<HttpStatusCode> ReadyAsync(RotorClient client, Action? betweenProbes = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.Http.GetAsync("/healthz/ready");
            if (response.StatusCode == HttpStatusCode.OK || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return response.StatusCode;
            }

            betweenProbes?.Invoke();
            await Task.Delay(50);
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Rotor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rotor.Tests.Accounts;

/// <summary>
/// A wrong password for a real account and any password for a name that matches nobody get the same answer, in the
/// same time: the same status, headers and body (but the trace id), and the same work on the server. Times are only
/// compared side by side in one run, interleaved, by median, within a generous factor, so a busy machine slows both.
/// </summary>
public sealed partial class LoginEnumerationTests : IDisposable
{
    private const int Samples = 30;

    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;
    private readonly ITestOutputHelper _output;

    public LoginEnumerationTests(ITestOutputHelper output)
    {
        _output = output;
        _client = _app.Client();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_name_answer_alike_in_the_same_time()
    {
        var (username, _, _) = await _client.NewUserAsync();
        var ghost = RotorClient.NewName();

        // Each try from its own address: no lock gets in the way, and both names do the same counting.
        var (known, unknown) = await CompareAsync(username, ghost, i => $"198.51.100.{i + 1}", HttpStatusCode.Unauthorized);

        AssertSameTime(known, unknown);
    }

    [Fact]
    public async Task A_locked_account_and_a_locked_unknown_name_answer_alike_in_the_same_time()
    {
        var (username, _, _) = await _client.NewUserAsync();
        var ghost = RotorClient.NewName();
        const string Address = "198.51.100.200";
        for (var i = 0; i < 5; i++)
        {
            (await LoginAsync(username, "wrong password", Address)).Dispose();
            (await LoginAsync(ghost, "wrong password", Address)).Dispose();
        }

        var (known, unknown) = await CompareAsync(username, ghost, _ => Address, (HttpStatusCode)423);

        AssertSameTime(known, unknown);
    }

    /// <summary>Interleaves tries at the two names (alternating which goes first), checks each pair's answers are identical, returns the times.</summary>
    private async Task<(List<double> Known, List<double> Unknown)> CompareAsync(string knownName, string unknownName, Func<int, string> address, HttpStatusCode status)
    {
        // Warm both paths (JIT, connection pool, the decoy hash) before measuring.
        for (var i = 0; i < 3; i++)
        {
            (await LoginAsync(knownName, "warm-up password", "192.0.2.1")).Dispose();
            (await LoginAsync(unknownName, "warm-up password", "192.0.2.1")).Dispose();
        }

        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var knownFirst = i % 2 == 0;
            var first = await TimedAsync(knownFirst ? knownName : unknownName, address(i));
            var second = await TimedAsync(knownFirst ? unknownName : knownName, address(i));
            var (k, u) = knownFirst ? (first, second) : (second, first);
            known.Add(k.Milliseconds);
            unknown.Add(u.Milliseconds);

            Assert.Equal(status, k.Status);
            Assert.Equal(k.Status, u.Status);
            Assert.Equal(k.Headers, u.Headers);
            Assert.Equal(WithoutTraceId(k.Body), WithoutTraceId(u.Body));
        }

        return (known, unknown);
    }

    private async Task<(HttpStatusCode Status, string Headers, string Body, double Milliseconds)> TimedAsync(string login, string address)
    {
        var clock = Stopwatch.StartNew();
        using var response = await LoginAsync(login, "not the password", address);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        return (response.StatusCode, Headers(response), body, clock.Elapsed.TotalMilliseconds);
    }

    private Task<HttpResponseMessage> LoginAsync(string login, string password, string address) =>
        _client.PostAsync("/auth/login", new { username = login, password }, address);

    private void AssertSameTime(List<double> known, List<double> unknown)
    {
        var ratio = Median(known) / Median(unknown);
        _output.WriteLine($"Median {Median(known):F2} ms known, {Median(unknown):F2} ms unknown (ratio {ratio:F2}).");
        Assert.True(ratio is >= 0.5 and <= 2.0, $"Median {Median(known):F1} ms for the known name against {Median(unknown):F1} ms for the unknown one (ratio {ratio:F2}).");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The body byte for byte, with only the per-request trace id blanked.</summary>
    private static string WithoutTraceId(string body) => TraceId().Replace(body, "\"traceId\":\"\"");

    private static string Headers(HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => h.Key + ": " + string.Join(",", h.Value)));

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();
}

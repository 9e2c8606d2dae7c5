using System.Diagnostics;
using System.Net;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>
/// verify-otp, resend-otp and forgot-password answer an address with an account and one without alike: the same
/// status, the same bytes (but the per-request trace id) and about the same time, measured side by side in one run.
/// </summary>
public sealed class CodeEndpointParityTests : IDisposable
{
    private const int Rounds = 40;
    private const double MaxRatio = 3.0;
    private const double MinGapMs = 2.0;

    private readonly RotorApp _app = LifecycleHost.Create(new Dictionary<string, string?> { ["Rotor:RateLimits:Enabled"] = "false" }, verification: true);
    private readonly RotorClient _client;
    private readonly PickupMailbox _mail;

    public CodeEndpointParityTests()
    {
        _client = _app.Client();
        _mail = LifecycleHost.Mailbox(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Verify_otp_answers_known_and_unknown_addresses_alike()
    {
        // The known address is one being confirmed, with a live code: the case with the most to find.
        var (_, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await _mail.WaitForAsync(email));
        var wrong = code == "000000" ? "111111" : "000000";
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";

        var (known, nobody) = await CompareAsync(
            () => _client.PostAsync("/auth/verify-otp", new { email, code = wrong }),
            () => _client.PostAsync("/auth/verify-otp", new { email = unknown, code = wrong }),
            round =>
            {
                // Four wrong codes per window for each address, so every round is a real check (not a blocked one).
                if (round % 4 == 3)
                {
                    _app.Time.Advance(TimeSpan.FromMinutes(16));
                }
            });

        Assert.All(known.Concat(nobody), a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
        Assert.Single(known.Concat(nobody).Select(a => a.Body).Distinct());
        Assert.Contains("\"code\":\"otp_invalid\"", known[0].Body, StringComparison.Ordinal);

        // And running out of the allowance looks the same too.
        for (var i = 0; i < 4; i++)
        {
            (await SendAsync(() => _client.PostAsync("/auth/verify-otp", new { email, code = wrong }))).Dispose();
            (await SendAsync(() => _client.PostAsync("/auth/verify-otp", new { email = unknown, code = wrong }))).Dispose();
        }

        using var knownBlocked = await _client.PostAsync("/auth/verify-otp", new { email, code = wrong });
        using var unknownBlocked = await _client.PostAsync("/auth/verify-otp", new { email = unknown, code = wrong });
        var a = await Answer.ReadAsync(knownBlocked);
        var b = await Answer.ReadAsync(unknownBlocked);
        Assert.Equal(a, b);
        Assert.Contains("\"code\":\"otp_attempts_exceeded\"", a.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resend_otp_answers_known_and_unknown_addresses_alike()
    {
        var (_, email, _) = await _client.NewUserAsync();
        await _mail.WaitForAsync(email);
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";

        var (known, nobody) = await CompareAsync(
            () => _client.PostAsync("/auth/resend-otp", new { email }),
            () => _client.PostAsync("/auth/resend-otp", new { email = unknown }));

        Assert.All(known.Concat(nobody), a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.Single(known.Concat(nobody).Select(a => a.Body + a.Headers).Distinct());
    }

    [Fact]
    public async Task Forgot_password_answers_known_and_unknown_addresses_alike()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";

        var (known, nobody) = await CompareAsync(
            () => _client.PostAsync("/auth/forgot-password", new { email }),
            () => _client.PostAsync("/auth/forgot-password", new { email = unknown }));

        Assert.All(known.Concat(nobody), a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.Single(known.Concat(nobody).Select(a => a.Body + a.Headers).Distinct());
    }

    /// <summary>Alternates the two requests (after a warm-up), timing each; asserts the medians are within <see cref="MaxRatio"/>.</summary>
    private static async Task<(List<Answer> Known, List<Answer> Unknown)> CompareAsync(
        Func<Task<HttpResponseMessage>> known, Func<Task<HttpResponseMessage>> unknown, Action<int>? afterRound = null)
    {
        for (var i = 0; i < 3; i++)
        {
            (await SendAsync(known)).Dispose();
            (await SendAsync(unknown)).Dispose();
            afterRound?.Invoke(i);
        }

        var knownAnswers = new List<Answer>();
        var unknownAnswers = new List<Answer>();
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            // Alternate which goes first, so neither always runs on a warmer path.
            foreach (var isKnown in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var watch = Stopwatch.StartNew();
                using var response = await (isKnown ? known : unknown)();
                var answer = await Answer.ReadAsync(response);
                watch.Stop();
                (isKnown ? knownAnswers : unknownAnswers).Add(answer);
                (isKnown ? knownTimes : unknownTimes).Add(watch.Elapsed.TotalMilliseconds);
            }

            afterRound?.Invoke(round + 3);
        }

        var knownMedian = Median(knownTimes);
        var unknownMedian = Median(unknownTimes);
        // Sub-millisecond answers (those that only queue a mail) swing by whole multiples on a loaded machine
        // while differing by microseconds: a gap under MinGapMs is no signal, whatever its ratio.
        var ratio = Math.Max(knownMedian, unknownMedian) / Math.Max(0.001, Math.Min(knownMedian, unknownMedian));
        var gap = Math.Abs(knownMedian - unknownMedian);
        Assert.True(ratio < MaxRatio || gap < MinGapMs, $"Median times differ too much: known {knownMedian:F3} ms, unknown {unknownMedian:F3} ms.");
        return (knownAnswers, unknownAnswers);
    }

    private static Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send) => send();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>An answer with what varies per request (the trace id, the Date header) taken out.</summary>
    private sealed record Answer(HttpStatusCode Status, string Body, string Headers)
    {
        public static async Task<Answer> ReadAsync(HttpResponseMessage response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (body.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                var json = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
                json.Remove("traceId");
                body = json.ToJsonString();
            }

            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers)
                .Where(h => h.Key != "Date")
                .OrderBy(h => h.Key, StringComparer.Ordinal)
                .Select(h => h.Key + ": " + string.Join(",", h.Value)));
            return new Answer(response.StatusCode, body, headers);
        }
    }
}

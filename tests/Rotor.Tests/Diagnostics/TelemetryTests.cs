using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Diagnostics;

/// <summary>
/// The host's OpenTelemetry, collected with the SDK's in-memory exporters: Rotor's spans and duration histograms for a
/// sign-in, refreshes and a sign-out, with their outcomes and provider, and no secret in any tag.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly ActivityTraceId _trace = ActivityTraceId.CreateRandom();
    private readonly List<Activity> _exported = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly RotorApp _app;
    private readonly RotorClient _client;

    public TelemetryTests()
    {
        // Host:Telemetry: the host collects without an OTLP endpoint; this test adds the in-memory exporters.
        _app = new RotorApp(new Dictionary<string, string?> { ["Host:Telemetry"] = "true" }, services: services => services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(_exported))
            .WithMetrics(metrics => metrics.AddInMemoryExporter(_metrics)));
        // Every request carries this trace's id, so the spans of other hosts in the process (ActivitySource is static,
        // and test classes run in parallel) can be told apart from this test's.
        _client = new RotorClient(_app.CreateDefaultClient(new Uri("https://localhost"), new TraceParentHandler(_trace)), _app);
    }

    private static string Provider => TestDatabase.IsPostgreSql ? "postgresql" : "sqlite";

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_login_and_refreshes_give_spans_and_durations_by_outcome_and_provider_and_no_secret_in_any_tag()
    {
        var username = RotorClient.NewName();
        await _client.RegisterAsync(username);
        using (var wrong = await _client.LoginAsync(username, "not the password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var session = await _client.NativeLoginAsync(username);
        string refreshed;
        using (var refresh = await _client.RefreshNativeAsync(session.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
            refreshed = (string)(await RotorClient.ReadJsonAsync(refresh))["refreshToken"]!;
        }

        using (var garbage = await _client.RefreshNativeAsync("not-a-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        }

        using (var logout = await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = refreshed }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        var tracer = _app.Services.GetRequiredService<TracerProvider>();
        var meter = _app.Services.GetRequiredService<MeterProvider>();
        Assert.True(tracer.ForceFlush(10_000));
        Assert.True(meter.ForceFlush(10_000));

        var spans = _exported.Where(s => s.TraceId == _trace).ToList();
        var rotor = spans.Where(s => s.Source.Name == "Rotor").ToList();
        var logins = rotor.Where(s => s.OperationName == "rotor.login").ToList();
        Assert.Contains(logins, s => Tag(s, "rotor.outcome") == "invalid_credentials");
        var login = Assert.Single(logins, s => Tag(s, "rotor.outcome") == "succeeded");
        Assert.Equal(session.SessionId.ToString(), Tag(login, "rotor.session_id"));
        Assert.Equal("password", Tag(login, "rotor.login.step"));
        Assert.Equal(Provider, Tag(login, "db.system.name"));

        var refreshes = rotor.Where(s => s.OperationName == "rotor.refresh").ToList();
        var rotated = Assert.Single(refreshes, s => Tag(s, "rotor.outcome") == "rotated");
        Assert.Equal("native", Tag(rotated, "rotor.mode"));
        Assert.Equal(session.SessionId.ToString(), Tag(rotated, "rotor.session_id"));
        Assert.Contains(refreshes, s => Tag(s, "rotor.outcome") == "refresh_token_invalid");

        // The store's rotation is a child of the refresh, tagged with the provider; the refresh a child of the request.
        var rotation = Assert.Single(rotor, s => s.OperationName == "rotor.store.rotate");
        Assert.Equal(rotated.SpanId, rotation.ParentSpanId);
        Assert.Equal("rotated", Tag(rotation, "rotor.outcome"));
        Assert.Equal(Provider, Tag(rotation, "db.system.name"));
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.AspNetCore" && s.SpanId == rotated.ParentSpanId);

        var revoke = Assert.Single(rotor, s => s.OperationName == "rotor.revoke");
        Assert.Equal("logout", Tag(revoke, "rotor.revocation.reason"));
        Assert.Equal("revoked", Tag(revoke, "rotor.outcome"));

        var loginDurations = Points("rotor.login.duration");
        Assert.Contains(loginDurations, p => p.Outcome == "succeeded" && p.Provider == Provider && p.Count >= 1 && p.Sum > 0);
        Assert.Contains(loginDurations, p => p.Outcome == "invalid_credentials" && p.Provider == Provider);
        var refreshDurations = Points("rotor.refresh.duration");
        Assert.Contains(refreshDurations, p => p.Outcome == "rotated" && p.Provider == Provider && p.Count >= 1);
        Assert.Contains(refreshDurations, p => p.Outcome == "refresh_token_invalid");
        Assert.All(_metrics.Where(m => m.Name.StartsWith("rotor.", StringComparison.Ordinal) && m.Name.EndsWith(".duration", StringComparison.Ordinal)), m => Assert.Equal("s", m.Unit));

        // Metrics are by name across the process: other tests' sign-ins may be counted in the same points.
        // Nothing secret or personal in any span or metric tag, Rotor's or ASP.NET Core's.
        var secrets = new[] { session.AccessToken, session.RefreshToken, refreshed, RotorClient.Password, username, username + "@example.com" };
        var values = _exported.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString() ?? "")
            .Concat(_metrics.SelectMany(m => m.MetricPoints.SelectMany(TagValues)))
            .ToList();
        Assert.NotEmpty(values);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static string? Tag(Activity span, string key) => span.GetTagItem(key)?.ToString();

    private List<(string? Outcome, string? Provider, long Count, double Sum)> Points(string name) =>
        _metrics.Where(m => m.Name == name)
            .SelectMany(m => m.MetricPoints)
            .Select(p =>
            {
                string? outcome = null, provider = null;
                foreach (var tag in p.Tags)
                {
                    outcome = tag.Key == "outcome" ? tag.Value?.ToString() : outcome;
                    provider = tag.Key == "provider" ? tag.Value?.ToString() : provider;
                }

                return (outcome, provider, p.GetHistogramCount(), p.GetHistogramSum());
            })
            .ToList();

    private static IEnumerable<string> TagValues(MetricPoint point)
    {
        var values = new List<string>();
        foreach (var tag in point.Tags)
        {
            values.Add(tag.Value?.ToString() ?? "");
        }

        return values;
    }

    /// <summary>Sends a W3C traceparent naming <paramref name="trace"/>, which the server's request spans take as parent.</summary>
    private sealed class TraceParentHandler(ActivityTraceId trace) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            return base.SendAsync(request, cancellationToken);
        }
    }
}

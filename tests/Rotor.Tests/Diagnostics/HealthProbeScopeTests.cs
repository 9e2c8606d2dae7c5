using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Diagnostics;

/// <summary>
/// Which checks each probe runs: liveness none at all (so a sick dependency never restarts a process that would
/// recover), readiness every check tagged "ready", the app's own included, and nothing untagged.
/// </summary>
public sealed class HealthProbeScopeTests : IDisposable
{
    private readonly CountingCheck _ready = new(HealthStatus.Unhealthy);
    private readonly CountingCheck _untagged = new(HealthStatus.Unhealthy);
    private readonly RotorApp _app;
    private readonly RotorClient _client;

    public HealthProbeScopeTests()
    {
        _app = new RotorApp(services: services => services.AddHealthChecks()
            .AddCheck("app-dependency", _ready, tags: ["ready"])
            .AddCheck("app-untagged", _untagged));
        _client = _app.Client();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Live_runs_no_check_while_ready_runs_the_apps_ready_checks_and_answers_503()
    {
        using (var live = await _client.Http.GetAsync("/healthz/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        Assert.Equal(0, _ready.Calls);

        foreach (var path in (string[])["/healthz/ready", "/healthz"])
        {
            using var ready = await _client.Http.GetAsync(path);
            await RotorClient.AssertProblemAsync(ready, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        }

        Assert.Equal(2, _ready.Calls);
        Assert.Equal(0, _untagged.Calls);
    }

    private sealed class CountingCheck(HealthStatus status) : IHealthCheck
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new HealthCheckResult(status, "a dependency of the app's"));
        }
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Rotor.Diagnostics;

/// <summary>Whether the warm-up is done; done from the start when it is off.</summary>
internal sealed class RotorWarmupState(IOptions<RotorOptions> options)
{
    private volatile bool _completed = !options.Value.Warmup.Enabled;

    public bool Completed => _completed;

    public void Complete() => _completed = true;
}

/// <summary>Not ready while the warm-up (<see cref="RotorWarmup"/>) runs.</summary>
internal sealed class RotorWarmupHealthCheck(RotorWarmupState state) : IHealthCheck
{
    public const string Name = "rotor-warmup";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Completed ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Warming up."));
}

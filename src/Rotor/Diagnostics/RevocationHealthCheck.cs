using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rotor.Sessions;

namespace Rotor.Diagnostics;

/// <summary>
/// Degraded (still 200: the instance is ready) once the revocation listener has been down longer than one
/// revocation poll interval. Not Unhealthy on purpose: the poll still ends revoked sessions within its interval,
/// the guarantee Rotor gives without the listener, so taking the instance out of the load balancer would cost
/// capacity and buy no security; a database out of reach is the database check's Unhealthy.
/// </summary>
internal sealed class RevocationHealthCheck(RevocationStatus status) : IHealthCheck
{
    public const string Name = "rotor-revocations";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var down = status.ListenerDownFor;
        var result = status.HasListener && down > status.PollInterval
            ? HealthCheckResult.Degraded(
                $"The revocation listener has been down for {down.TotalSeconds:0} s: revocations made on other instances arrive by the poll, up to {status.PollInterval.TotalSeconds:0.#} s late.")
            : HealthCheckResult.Healthy();
        return Task.FromResult(result);
    }
}

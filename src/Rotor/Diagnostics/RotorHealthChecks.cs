using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rotor.Contracts;
using Rotor.Http;
using Rotor.Storage;

namespace Rotor.Diagnostics;

/// <summary>
/// <c>/healthz/live</c> (the process answers; no database) and <c>/healthz/ready</c> (also <c>/healthz</c>: every
/// check tagged <see cref="ReadyTag"/>, Rotor's being a plain read of its sessions table). Probes are anonymous
/// and frequent, so neither takes the write lock every rotation needs nor opens a transaction.
/// </summary>
internal static class RotorHealthChecks
{
    /// <summary>The tag of checks that must pass before the server takes traffic; hosts may tag their own.</summary>
    public const string ReadyTag = "ready";

    public const string DatabaseCheckName = "rotor-database";

    public static readonly HealthCheckOptions Live = new()
    {
        Predicate = _ => false,
        ResponseWriter = WriteAsync,
    };

    public static readonly HealthCheckOptions Ready = new()
    {
        Predicate = check => check.Tags.Contains(ReadyTag),
        ResponseWriter = WriteAsync,
    };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Unhealthy)
        {
            var warmingUp = report.Entries.All(e => e.Value.Status != HealthStatus.Unhealthy || e.Key == RotorWarmupHealthCheck.Name);
            if (warmingUp)
            {
                return RotorProblems.For(context, new RotorError(RotorErrorCodes.ServiceUnavailable, TimeSpan.FromSeconds(1)), "The server is starting: it warms up before it takes traffic. Try again in a few seconds.")
                    .ExecuteAsync(context);
            }

            // The same answer as any Rotor endpoint whose database is out of reach.
            return RotorProblems.For(context, RotorErrorCodes.ServiceUnavailable, "The server is not ready: it cannot reach its database right now. Try again in a few seconds.")
                .ExecuteAsync(context);
        }

        var status = report.Status == HealthStatus.Degraded ? "degraded" : "healthy";
        return TypedResults.Json(new HealthResponse(status), RotorJsonContext.Default.HealthResponse).ExecuteAsync(context);
    }
}

/// <summary>Ready when Rotor can read its sessions table.</summary>
internal sealed class RotorDatabaseHealthCheck(IRotorStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database cannot be read.", ex);
        }
    }
}

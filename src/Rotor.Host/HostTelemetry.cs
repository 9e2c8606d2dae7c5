using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rotor.Diagnostics;

namespace Rotor.Host;

/// <summary>
/// OpenTelemetry for the host: Rotor's spans and meter, ASP.NET Core's and HttpClient's, the runtime's metrics and
/// Npgsql's spans; exported by OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the SDK reads the other
/// <c>OTEL_*</c> variables itself). No Prometheus endpoint: its exporter is a pre-release, and a scrape path on the
/// public port would hand the metrics to anyone; a collector receiving OTLP can expose them to Prometheus instead.
/// </summary>
public static class HostTelemetry
{
    /// <summary>The service name in the resource, unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ServiceName = "rotor-host";

    public static IServiceCollection AddHostTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(RotorActivitySource.Name)
                .AddSource("Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(RotorMetrics.MeterName)
                .AddMeter("System.Runtime")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}

using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rotor.Diagnostics;

namespace Rotor.Host;

/// <summary>
/// OpenTelemetry for the host: Rotor's spans and meter, ASP.NET Core's and HttpClient's, the runtime's metrics and
/// Npgsql's spans; exported by OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the SDK reads the other
/// <c>OTEL_*</c> variables itself). Without it nothing is collected, unless <c>Host:Telemetry</c> is true (an app or a
/// test that adds its own exporter). No Prometheus endpoint: its exporter is a pre-release, and a scrape path on the
/// public port would hand the metrics to anyone; a collector receiving OTLP can expose them to Prometheus instead.
/// </summary>
public static class HostTelemetry
{
    /// <summary>The service name in the resource, unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ServiceName = "rotor-host";

    public static IServiceCollection AddHostTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!otlp && !configuration.GetValue<bool>("Host:Telemetry"))
        {
            // With nowhere to send them, a tracer provider would still start and record an activity per request and
            // per Rotor span (the default sampler samples everything): cost on the hot path that nothing reads.
            return services;
        }

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
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}

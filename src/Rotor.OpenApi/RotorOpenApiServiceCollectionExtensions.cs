using Microsoft.AspNetCore.OpenApi;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds an OpenAPI document that describes Rotor's endpoints.</summary>
public static class RotorOpenApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds the OpenAPI 3.1 document <paramref name="documentName"/> (Microsoft.AspNetCore.OpenApi; serve it with
    /// <c>app.MapOpenApi()</c> at <c>/openapi/{documentName}.json</c>) with Rotor's descriptions:
    /// see <see cref="RotorOpenApiOptionsExtensions.AddRotorDescriptions"/>. An app that already calls
    /// <c>AddOpenApi</c> calls <c>options.AddRotorDescriptions()</c> there instead.
    /// </summary>
    public static IServiceCollection AddRotorOpenApi(this IServiceCollection services, string documentName = "v1", Action<OpenApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddOpenApi(documentName, options =>
        {
            options.AddRotorDescriptions();
            configure?.Invoke(options);
        });
    }
}

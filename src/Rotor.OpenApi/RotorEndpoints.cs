using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Http;

namespace Rotor.OpenApi;

/// <summary>Finds the endpoints <c>MapRotor</c> mapped that the OpenAPI generator does not describe itself.</summary>
internal static class RotorEndpoints
{
    private static readonly string[] Get = ["GET"];

    /// <summary>Rotor's request-delegate endpoints that are not excluded from descriptions.</summary>
    public static IEnumerable<RouteEndpoint> Find(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<RotorEndpointMetadata>() is not null
                && e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }
                && e.Metadata.GetMetadata<System.Reflection.MethodInfo>() is null);

    /// <summary>The endpoint's methods; GET for one that takes any (a health check is probed with GET).</summary>
    public static IReadOnlyList<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : Get;

    /// <summary>The OpenAPI path of the route: <c>/auth/sessions/{id}</c>, constraints and defaults left out.</summary>
    public static string Path(RouteEndpoint endpoint) =>
        "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));
}

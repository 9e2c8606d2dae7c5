using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Http;

namespace Rotor.Tests.OpenApi;

/// <summary>
/// Rotor's mapped endpoints as the host's routing sees them (EndpointDataSource), and what each can answer: derived
/// from the handler's typed results and the Rotor error codes declared on it, never from the OpenAPI document.
/// </summary>
internal static class RotorRouteCatalog
{
    private static readonly Assembly RotorAssembly = typeof(RotorErrorCodes).Assembly;

    public sealed record Route(RouteEndpoint Endpoint, string Method, string Path)
    {
        public string Name => $"{Method} {Path}";

        public MethodInfo? Handler => Endpoint.Metadata.GetMetadata<MethodInfo>();

        public IReadOnlyList<(string Code, int Status)> Errors =>
            Endpoint.Metadata.GetOrderedMetadata<RotorErrorsMetadata>().SelectMany(m => m.Errors).Distinct().ToList();
    }

    /// <summary>Every endpoint MapRotor mapped (or any endpoint whose handler lives in the Rotor assembly), one entry per method.</summary>
    public static IReadOnlyList<Route> Find(IServiceProvider services, bool includeExcluded = false) =>
        services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(IsRotor)
            .Where(e => includeExcluded || e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => Methods(e).Select(m => new Route(e, m, PathOf(e.RoutePattern))))
            .ToList();

    public static bool IsRotor(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<RotorEndpointMetadata>() is not null
        || endpoint.Metadata.GetMetadata<MethodInfo>()?.DeclaringType?.Assembly == RotorAssembly;

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["GET"];

    public static string PathOf(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternParameterPart x => "{" + x.Name + "}",
            RoutePatternSeparatorPart x => x.Content,
            _ => "",
        }))));

    /// <summary>
    /// The statuses the route can answer with, each with where it comes from: the typed results of the handler's
    /// <c>Results&lt;…&gt;</c> (a <c>JsonHttpResult&lt;T&gt;</c> or <c>ContentHttpResult</c> at the success status
    /// declared with <c>.Produces&lt;T&gt;(status)</c>), and the problem statuses of the declared Rotor error codes.
    /// </summary>
    public static Dictionary<int, string> PossibleStatuses(Route route, out List<string> mistakes)
    {
        mistakes = [];
        var statuses = new Dictionary<int, string>();
        var declaredSuccess = route.Endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>()
            .Where(m => m.StatusCode is >= 200 and < 300 && m.Type != typeof(ProblemDetails) && m.Type != typeof(Rotor.Contracts.OAuthErrorResponse))
            .Select(m => m.StatusCode).ToHashSet();
        var results = route.Handler is { } handler ? ResultTypes(handler.ReturnType) : [];
        foreach (var result in results)
        {
            var definition = result.IsGenericType ? result.GetGenericTypeDefinition() : result;
            if (definition == typeof(NoContent)) statuses[204] = nameof(NoContent);
            else if (definition == typeof(Accepted) || definition == typeof(Accepted<>)) statuses[202] = nameof(Accepted);
            else if (definition == typeof(Ok) || definition == typeof(Ok<>)) statuses[200] = nameof(Ok);
            else if (definition == typeof(Created) || definition == typeof(Created<>)) statuses[201] = nameof(Created);
            else if (definition == typeof(ChallengeHttpResult)) statuses[401] = "ChallengeHttpResult (WWW-Authenticate)";
            else if (definition == typeof(JsonHttpResult<>) && result.GetGenericArguments()[0] == typeof(Rotor.Contracts.OAuthErrorResponse))
            {
                // RFC 6749 error JSON: its statuses are the ones declared with .Produces<OAuthErrorResponse>(status).
                foreach (var m in route.Endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Where(m => m.Type == result.GetGenericArguments()[0]))
                {
                    statuses[m.StatusCode] = $"OAuth error declared with .Produces<OAuthErrorResponse>({m.StatusCode})";
                }
            }
            else if (definition == typeof(JsonHttpResult<>) || definition == typeof(ContentHttpResult))
            {
                if (declaredSuccess.Count == 0)
                {
                    mistakes.Add($"{route.Name} returns {result.Name} but declares no success status: add .Produces<{Friendly(result)}>(status) where it is mapped.");
                }

                foreach (var status in declaredSuccess) statuses[status] = $"{result.Name} declared with .Produces({status})";
            }
            else if (definition == typeof(ProblemHttpResult))
            {
                // Its statuses are those of the declared codes, below.
            }
            else
            {
                mistakes.Add($"{route.Name} returns {result.Name}, which this test does not know: teach RotorRouteCatalog.PossibleStatuses its status.");
            }
        }

        if (route.Handler is null)
        {
            // A request delegate (health checks): what it declares is all there is to go on.
            foreach (var status in declaredSuccess) statuses[status] = "declared (request delegate)";
        }

        foreach (var (code, status) in route.Errors)
        {
            statuses.TryAdd(status, $"Rotor error {code}");
        }

        return statuses;
    }

    private static Type[] ResultTypes(Type returnType)
    {
        var type = returnType;
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        return type.IsGenericType && type.GetGenericTypeDefinition().FullName!.StartsWith("Microsoft.AspNetCore.Http.HttpResults.Results`", StringComparison.Ordinal)
            ? type.GetGenericArguments()
            : [type];
    }

    private static string Friendly(Type type) =>
        type.IsGenericType ? string.Join(", ", type.GetGenericArguments().Select(a => a.Name)) : "TResponse";
}

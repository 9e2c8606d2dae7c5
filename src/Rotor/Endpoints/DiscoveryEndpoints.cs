using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotor.Contracts;
using Rotor.Http;
using Rotor.Storage;
using Rotor.Tokens;

namespace Rotor.Endpoints;

/// <summary>The public signing keys and the health check.</summary>
internal static class DiscoveryEndpoints
{
    public static ContentHttpResult Jwks(HttpContext context, RotorKeyRing keys)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Content(keys.Jwks, "application/json");
    }

    public static async Task<Results<JsonHttpResult<HealthResponse>, ProblemHttpResult>> HealthAsync(HttpContext context, IRotorStore store)
    {
        context.Response.Headers.CacheControl = "no-store";
        await store.PingAsync(context.RequestAborted);
        return TypedResults.Json(new HealthResponse("healthy"), RotorJsonContext.Default.HealthResponse);
    }

    public static ProblemHttpResult MethodNotAllowed(HttpContext context, string allow)
    {
        context.Response.Headers.Allow = allow;
        return RotorProblems.Create(RotorErrorCodes.MethodNotAllowed, $"This endpoint takes {allow} only.");
    }
}

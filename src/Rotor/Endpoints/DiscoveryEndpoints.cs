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
        var q = keys.PublicParameters.Q;
        var json = $"{{\"keys\":[{{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\",\"alg\":\"ES256\",\"kid\":\"{keys.KeyId}\",\"x\":\"{RotorKeyRing.Base64Url(q.X!)}\",\"y\":\"{RotorKeyRing.Base64Url(q.Y!)}\"}}]}}";
        return TypedResults.Content(json, "application/json");
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
        return RotorProblems.Create(405, RotorErrorCodes.MethodNotAllowed, $"This endpoint takes {allow} only.");
    }
}

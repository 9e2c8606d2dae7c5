using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rotor.Http;
using Rotor.Tokens;

namespace Rotor.Endpoints;

/// <summary>The public signing keys, and the answer to a method an endpoint does not take.</summary>
internal static class DiscoveryEndpoints
{
    public static ContentHttpResult Jwks(HttpContext context, RotorKeyRing keys, IOptions<RotorOptions> options)
    {
        context.Response.Headers.CacheControl = $"public, max-age={(long)options.Value.Keys.JwksCacheDuration.TotalSeconds}";
        return TypedResults.Content(keys.Jwks, "application/json");
    }

    public static ProblemHttpResult MethodNotAllowed(HttpContext context, string allow)
    {
        context.Response.Headers.Allow = allow;
        return RotorProblems.Create(RotorErrorCodes.MethodNotAllowed, $"This endpoint takes {allow} only.");
    }
}

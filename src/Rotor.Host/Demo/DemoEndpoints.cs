using Rotor.Security;

namespace Rotor.Host.Demo;

/// <summary>A protected API for the demo app to call, standing in for the app's own endpoints.</summary>
public static class DemoEndpoints
{
    public static IEndpointRouteBuilder MapDemoApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/demo/time", (HttpContext context, TimeProvider time) => TypedResults.Ok(new DemoTimeResponse(
                time.GetUtcNow(),
                context.User.GetUserId()!,
                context.User.FindFirst("name")?.Value)))
            .RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy);
        return endpoints;
    }
}

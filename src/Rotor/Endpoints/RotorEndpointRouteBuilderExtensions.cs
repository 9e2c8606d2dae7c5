using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rotor.Endpoints;
using Rotor.Http;
using Rotor.Security;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Rotor's HTTP endpoints.</summary>
public static class RotorEndpointRouteBuilderExtensions
{
    private static readonly string[] NotPost = ["GET", "PUT", "PATCH", "DELETE"];

    /// <summary>
    /// Maps <c>/auth/*</c>, <c>/users/me</c>, <c>/.well-known/jwks.json</c> and <c>/healthz</c>. Call
    /// <c>app.UseCors()</c> before it when browsers on other origins (Rotor:AllowedOrigins) call the server.
    /// </summary>
    public static IEndpointConventionBuilder MapRotor(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var root = endpoints.MapGroup("")
            .AddEndpointFilter<RotorEndpointFilter>()
            .RequireCors(RotorAuthenticationDefaults.AuthorizationPolicy)
            .WithTags("Rotor");

        var auth = root.MapGroup("/auth");
        auth.MapPost("/register", TokenEndpoints.RegisterAsync).AllowAnonymous();
        auth.MapPost("/login", TokenEndpoints.LoginAsync).AllowAnonymous();
        auth.MapPost("/refresh", TokenEndpoints.RefreshAsync).AllowAnonymous();
        auth.MapPost("/logout", TokenEndpoints.LogoutAsync).AllowAnonymous();
        auth.MapPost("/logout-all", TokenEndpoints.LogoutAllAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy);
        auth.MapGet("/sessions", SessionEndpoints.ListAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy);
        auth.MapDelete("/sessions/{id}", SessionEndpoints.RevokeAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy);
        foreach (var path in (string[])["/register", "/login", "/refresh", "/logout", "/logout-all"])
        {
            auth.MapMethods(path, NotPost, (HttpContext context) => DiscoveryEndpoints.MethodNotAllowed(context, "POST")).AllowAnonymous();
        }

        var users = root.MapGroup("/users");
        users.MapGet("/me", (Delegate)UserEndpoints.MeAsync).AllowAnonymous();

        root.MapGet("/.well-known/jwks.json", DiscoveryEndpoints.Jwks).AllowAnonymous();
        root.MapGet("/healthz", DiscoveryEndpoints.HealthAsync).AllowAnonymous();
        return root;
    }
}

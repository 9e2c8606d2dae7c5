using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rotor.Http;

namespace Rotor.Security;

/// <summary>
/// Refuses a sensitive action with 403 <c>reauthentication_required</c> unless the caller's access token says the
/// user proved who they are (<c>auth_time</c>) within <see cref="RotorOptions.ReauthenticationWindow"/>. A token
/// without <c>auth_time</c> is never recent. Runs after authorization, so an anonymous caller still gets 401.
/// </summary>
internal sealed class RecentAuthenticationFilter(Func<HttpContext, bool>? appliesTo = null) : IEndpointFilter
{
    /// <summary>Every request to the endpoint needs a recent authentication.</summary>
    public static readonly RecentAuthenticationFilter Always = new();

    /// <summary>For <c>DELETE /auth/sessions/{id}</c>: ending one's own session needs no proof, ending another one does.</summary>
    public static readonly RecentAuthenticationFilter OtherSessions = new(context =>
        !(Guid.TryParse(context.Request.RouteValues["id"] as string, out var id) && id == context.User.GetSessionId()));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if ((appliesTo is null || appliesTo(http)) && !IsRecent(http))
        {
            return RotorProblems.Create(RotorErrorCodes.ReauthenticationRequired);
        }

        return await next(context);
    }

    public static bool IsRecent(HttpContext context)
    {
        if (context.User.GetAuthenticationTime() is not { } authenticatedAt)
        {
            return false;
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var window = context.RequestServices.GetRequiredService<IOptions<RotorOptions>>().Value.ReauthenticationWindow;
        return now - authenticatedAt <= window;
    }
}

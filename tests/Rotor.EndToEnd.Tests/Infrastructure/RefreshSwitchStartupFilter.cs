using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>Puts the <see cref="RefreshSwitch"/> in front of the host's own middleware.</summary>
internal sealed class RefreshSwitchStartupFilter(RefreshSwitch refreshSwitch) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var request = context.Request;
            if (HttpMethods.IsPost(request.Method) && request.Path.Equals("/auth/refresh", StringComparison.OrdinalIgnoreCase))
            {
                refreshSwitch.OnArrived();
                if (refreshSwitch.Unavailable)
                {
                    refreshSwitch.OnRefused();
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "1";
                    context.Response.ContentType = "application/problem+json";
                    await context.Response.WriteAsync(
                        """{"type":"about:blank","title":"Service unavailable","status":503,"code":"service_unavailable","detail":"End-to-end test: the server is unavailable on purpose."}""",
                        context.RequestAborted);
                    return;
                }
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}

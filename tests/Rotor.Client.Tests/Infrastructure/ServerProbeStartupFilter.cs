using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Rotor.Client.Tests.Infrastructure;

/// <summary>Puts the <see cref="ServerProbe"/> middleware in front of the host's own pipeline.</summary>
internal sealed class ServerProbeStartupFilter(ServerProbe probe) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var request = context.Request;
            var authorization = request.Headers.Authorization.ToString();
            var dpop = request.Headers["DPoP"].ToString();
            probe.AllRequests.Enqueue(new RecordedRequest(request.Method, request.Path, authorization.Length == 0 ? null : authorization, request.ContentType, [], dpop.Length == 0 ? null : dpop));
            if (request.Headers.ContainsKey(ServerProbe.RecordHeader))
            {
                request.EnableBuffering();
                using var copy = new MemoryStream();
                await request.Body.CopyToAsync(copy, context.RequestAborted);
                request.Body.Position = 0;
                probe.Recorded.Enqueue(new RecordedRequest(request.Method, request.Path, authorization.Length == 0 ? null : authorization, request.ContentType, copy.ToArray()));
            }

            if (HttpMethods.IsPost(request.Method) && request.Path.Equals("/auth/refresh", StringComparison.OrdinalIgnoreCase))
            {
                probe.OnRefresh();
                if (probe.RefreshGate is { } gate)
                {
                    await gate.WaitAsync(context.RequestAborted);
                }

                if (probe.RefreshUnavailable)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "1";
                    context.Response.ContentType = "application/problem+json";
                    await context.Response.WriteAsync("""{"status":503,"code":"server_unavailable","detail":"Test: the server is ill."}""", context.RequestAborted);
                    return;
                }
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}

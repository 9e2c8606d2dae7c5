using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Rotor.Client.Tests.Infrastructure;

/// <summary>
/// A tiny Kestrel app on 127.0.0.1 (its own port, so its own origin) that records every request it receives and
/// answers with <c>answer</c>. Stands in for a misbehaving server or a third party a redirect points at.
/// </summary>
public sealed class LoopbackApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public static async Task<LoopbackApp> StartAsync(Func<HttpContext, Task> answer)
    {
        // Empty builder: no appsettings (the host's would be found in the output folder), no logging, no routing.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LoopbackApp? self = null;
        app.Run(async context =>
        {
            var request = context.Request;
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            self!.Received.Enqueue(new ReceivedRequest(request.Method, request.Path, request.Headers.Authorization.ToString(),
                request.Headers.Cookie.ToString(), System.Text.Encoding.UTF8.GetString(body.ToArray()), request.Headers["DPoP"].ToString()));
            // The answer may read the body too.
            body.Position = 0;
            request.Body = body;
            await answer(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new LoopbackApp(app, new Uri(address + "/"));
        return self;
    }

    /// <summary>An app that answers every request with <paramref name="status"/> and <c>Location</c> = <paramref name="target"/> + the same path.</summary>
    public static Task<LoopbackApp> RedirectingToAsync(Uri target, int status) => StartAsync(context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = new Uri(target, context.Request.Path.Value!.TrimStart('/')).AbsoluteUri;
        return Task.CompletedTask;
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedRequest(string Method, string Path, string Authorization, string Cookie, string Body, string Dpop = "");

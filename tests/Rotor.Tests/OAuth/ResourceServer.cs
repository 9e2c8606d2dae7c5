using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Rotor.Tests.OAuth;

/// <summary>
/// Someone else's API: ASP.NET Core with its own <c>AddJwtBearer</c>, on Kestrel, told nothing about Rotor but the
/// address of its RFC 8414 document and the audience. No key is copied: the handler reads the document, then the
/// JWKS it names, and refetches both when a token names a key it has not seen. <c>GET /whoami</c> answers the
/// token's <c>sub</c>.
/// </summary>
public sealed class ResourceServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ResourceServer(WebApplication app, string address)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public HttpClient Http { get; }

    /// <summary>Starts the API on <paramref name="address"/>, trusting the issuer at <paramref name="rotor"/>; tokens' lifetimes are read on <paramref name="clock"/> (Rotor's, a fake one in tests).</summary>
    public static async Task<ResourceServer> StartAsync(string address, string rotor, string audience, TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls(address);
        builder.Logging.ClearProviders();
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MetadataAddress = rotor + "/.well-known/oauth-authorization-server";
            // Plain HTTP is for this loopback test only.
            options.RequireHttpsMetadata = false;
            options.Audience = audience;
            options.MapInboundClaims = false;
            // The handler refetches the metadata when a token names an unknown key, at most once per RefreshInterval
            // (default 5 minutes; 1 second here so the test need not wait).
            options.RefreshInterval = TimeSpan.FromSeconds(1);
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];
            options.TokenValidationParameters.ValidAlgorithms = ["ES256"];
            options.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return expires is { } exp && now < exp + parameters.ClockSkew && (notBefore is not { } nbf || now >= nbf - parameters.ClockSkew);
            };
        });

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (HttpContext context) => context.User.FindFirst("sub")?.Value).RequireAuthorization();
        await app.StartAsync();
        return new ResourceServer(app, address);
    }

    /// <summary>GET /whoami with <paramref name="accessToken"/>: the status and, on 200, the <c>sub</c>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> WhoAmIAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The key ids of the configuration the handler holds now, after asking it to refetch (as an unknown key would).</summary>
    public async Task<string[]> RefetchedKidsAsync()
    {
        var manager = _app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager!;
        manager.RequestRefresh();
        var configuration = (OpenIdConnectConfiguration)await manager.GetConfigurationAsync(CancellationToken.None);
        return configuration.SigningKeys.Select(k => k.KeyId).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary><paramref name="count"/> free loopback ports from the test's own range (5701-5719).</summary>
    public static int[] FreePorts(int count)
    {
        var free = new List<int>();
        for (var port = 5701; port <= 5719 && free.Count < count; port++)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                free.Add(port);
            }
            catch (SocketException)
            {
            }
        }

        return free.Count == count ? [.. free] : throw new InvalidOperationException($"Fewer than {count} free ports in 5701-5719.");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

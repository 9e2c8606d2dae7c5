using System.Net;
using System.Net.Http.Json;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Dpop;

/// <summary>
/// Behind a reverse proxy the proof names the URL the client called: the scheme a trusted proxy forwards
/// (<c>X-Forwarded-Proto</c>, Rotor:ForwardedHeaders), or <c>Rotor:Dpop:Origin</c> when it is set; never an origin an
/// untrusted sender claims.
/// </summary>
public sealed class DpopProxyTests : IDisposable
{
    private const string Proxy = "203.0.113.7";
    private readonly DpopKey _key = DpopKey.NewEc();

    public void Dispose() => _key.Dispose();

    private async Task<HttpResponseMessage> LoginAsync(RotorApp app, RotorClient client, string htu, string? forwardedProto = null, string connection = Proxy)
    {
        var (username, _, _) = await client.NewUserAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = JsonContent.Create(new { username, password = RotorClient.Password, mode = "native" }) };
        request.Headers.Add(LifecycleHost.AddressHeader, connection);
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
            request.Headers.Add("X-Forwarded-For", "198.51.100.1");
        }

        request.Headers.Add("DPoP", _key.Proof("POST", htu, app.Time.GetUtcNow()));
        return await client.Http.SendAsync(request);
    }

    [Fact]
    public async Task Through_a_trusted_proxy_the_forwarded_scheme_is_the_one_the_proof_must_name()
    {
        using var app = LifecycleHost.Create(new Dictionary<string, string?> { ["Rotor:ForwardedHeaders:KnownProxies:0"] = Proxy });
        using var client = app.Client();

        using (var forwarded = await LoginAsync(app, client, "http://localhost/auth/login", forwardedProto: "http"))
        {
            await DpopCalls.AssertTokensAsync(forwarded, "DPoP");
        }

        using var connectionScheme = await LoginAsync(app, client, "https://localhost/auth/login", forwardedProto: "http");
        await RotorClient.AssertProblemAsync(connectionScheme, HttpStatusCode.Unauthorized, "invalid_dpop_proof");
    }

    [Fact]
    public async Task An_untrusted_sender_cannot_choose_the_scheme_by_header()
    {
        using var app = LifecycleHost.Create();
        using var client = app.Client();

        using var response = await LoginAsync(app, client, "http://localhost/auth/login", forwardedProto: "http");

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_dpop_proof");
    }

    [Fact]
    public async Task With_Rotor_Dpop_Origin_set_the_proof_names_that_origin_whatever_the_Host_header()
    {
        using var app = LifecycleHost.Create(new Dictionary<string, string?> { ["Rotor:Dpop:Origin"] = "https://auth.example.com" });
        using var client = app.Client();

        using (var configured = await LoginAsync(app, client, "https://auth.example.com/auth/login"))
        {
            await DpopCalls.AssertTokensAsync(configured, "DPoP");
        }

        using var requestHost = await LoginAsync(app, client, "https://localhost/auth/login");
        await RotorClient.AssertProblemAsync(requestHost, HttpStatusCode.Unauthorized, "invalid_dpop_proof");
    }
}

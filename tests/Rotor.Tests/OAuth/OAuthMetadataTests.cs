using System.Net;
using System.Text.Json.Nodes;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.OAuth;

/// <summary>
/// <c>GET /.well-known/oauth-authorization-server</c> (RFC 8414): the issuer is exactly the tokens' <c>iss</c>, the URLs
/// are absolute, and they come from the issuer when it is a URL, else from the request (after the trusted proxies).
/// </summary>
public sealed class OAuthMetadataTests
{
    private static async Task<JsonObject> GetAsync(RotorClient client, string? address = null, string? forwardedProto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-authorization-server");
        if (address is not null)
        {
            request.Headers.Add(LifecycleHost.AddressHeader, address);
        }

        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        using var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await LifecycleHost.AssertOkJsonAsync(response);
        body["cache-control"] = response.Headers.NonValidated["Cache-Control"].ToString();
        return body;
    }

    [Fact]
    public async Task With_a_url_issuer_every_url_starts_from_it_and_the_document_may_be_cached()
    {
        using var app = new RotorApp(new Dictionary<string, string?> { ["Rotor:Issuer"] = "https://auth.example.com/" });
        using var client = app.Client();
        var session = await client.NewNativeSessionAsync();

        var document = await GetAsync(client);

        Assert.Equal("https://auth.example.com/", (string?)document["issuer"]);
        Assert.Equal((string?)document["issuer"], RotorClient.DecodeJwtPart(session.AccessToken, 1).GetProperty("iss").GetString());
        Assert.Equal("https://auth.example.com/oauth/token", (string?)document["token_endpoint"]);
        Assert.Equal("https://auth.example.com/oauth/revoke", (string?)document["revocation_endpoint"]);
        Assert.Equal("https://auth.example.com/.well-known/jwks.json", (string?)document["jwks_uri"]);
        Assert.Equal("public, max-age=300", (string?)document["cache-control"]);
    }

    [Fact]
    public async Task The_document_has_the_required_members_and_nothing_it_cannot_honour()
    {
        using var app = new RotorApp();
        using var client = app.Client();
        var session = await client.NewNativeSessionAsync();

        var document = await GetAsync(client);

        // The default issuer is not a URL: the tokens' iss is still what the document says, and the URLs are the request's.
        Assert.Equal("rotor", (string?)document["issuer"]);
        Assert.Equal("rotor", RotorClient.DecodeJwtPart(session.AccessToken, 1).GetProperty("iss").GetString());
        Assert.Equal("https://localhost/oauth/token", (string?)document["token_endpoint"]);
        Assert.Equal("private, max-age=300", (string?)document["cache-control"]);
        Assert.Equal("[]", document["response_types_supported"]!.ToJsonString());
        Assert.Equal("[\"refresh_token\"]", document["grant_types_supported"]!.ToJsonString());
        Assert.Equal("[\"none\"]", document["token_endpoint_auth_methods_supported"]!.ToJsonString());
        Assert.Equal("[\"none\"]", document["revocation_endpoint_auth_methods_supported"]!.ToJsonString());
        Assert.Equal("[\"ES256\",\"ES384\",\"ES512\",\"PS256\",\"RS256\"]", document["dpop_signing_alg_values_supported"]!.ToJsonString());
        foreach (var absent in (string[])["authorization_endpoint", "code_challenge_methods_supported", "scopes_supported", "userinfo_endpoint"])
        {
            Assert.False(document.ContainsKey(absent), absent);
        }
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_forwarded_scheme_is_used_and_from_anyone_else_it_is_not()
    {
        const string Proxy = "203.0.113.7";
        using var app = LifecycleHost.Create(new Dictionary<string, string?> { ["Rotor:ForwardedHeaders:KnownProxies:0"] = Proxy });
        using var client = app.Client();
        client.Http.BaseAddress = new Uri("http://localhost");

        var viaProxy = await GetAsync(client, Proxy, "https");
        var direct = await GetAsync(client, "198.51.100.9", "https");

        Assert.Equal("https://localhost/oauth/token", (string?)viaProxy["token_endpoint"]);
        Assert.Equal("http://localhost/oauth/token", (string?)direct["token_endpoint"]);
    }
}

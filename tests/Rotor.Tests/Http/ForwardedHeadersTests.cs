using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Http;

/// <summary>
/// X-Forwarded-For is believed only from Rotor:ForwardedHeaders' known proxies. TestServer gives requests no
/// connection address (RemoteIpAddress is null, which ASP.NET Core's middleware would treat as a trusted first
/// hop), so these tests set the connection's address with <see cref="LifecycleHost.AddressHeader"/>, as a
/// socket would, before the forwarded-headers middleware runs.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Proxy = "203.0.113.7";

    private static RotorApp Create(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Rotor:RateLimits:Login:PerAddress"] = "2",
            ["Rotor:RateLimits:Login:Window"] = "01:00:00",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return LifecycleHost.Create(values);
    }

    [Fact]
    public async Task Without_known_proxies_a_spoofed_X_Forwarded_For_changes_neither_the_counted_address_nor_the_sessions()
    {
        using var app = Create();
        using var client = app.Client();
        var (username, _, _) = await client.NewUserAsync();

        using var first = await LoginAsync(client, username, RotorClient.Password, connection: Proxy, forwardedFor: "198.51.100.1");
        Assert.Equal([Proxy], await SessionAddressesAsync(client, first));
        using var wrong = await LoginAsync(client, username, "not the password", connection: Proxy, forwardedFor: "198.51.100.2");
        Assert.Equal([Proxy], await Database.QueryStringsAsync(app, "SELECT Source FROM rotor_sign_in_failures WHERE Source <> '*'"));

        // Two sign-ins from the connection's address used its allowance, whatever the header claimed.
        using var third = await LoginAsync(client, username, RotorClient.Password, connection: Proxy, forwardedFor: "198.51.100.3");
        await RotorClient.AssertProblemAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Through_a_known_proxy_the_forwarded_client_address_is_counted_and_recorded()
    {
        using var app = Create(("Rotor:ForwardedHeaders:KnownProxies:0", Proxy));
        using var client = app.Client();
        var (username, _, _) = await client.NewUserAsync();

        using var first = await LoginAsync(client, username, RotorClient.Password, connection: Proxy, forwardedFor: "198.51.100.1");
        Assert.Equal(["198.51.100.1"], await SessionAddressesAsync(client, first));
        using var wrong = await LoginAsync(client, username, "not the password", connection: Proxy, forwardedFor: "198.51.100.1");
        Assert.Equal(["198.51.100.1"], await Database.QueryStringsAsync(app, "SELECT Source FROM rotor_sign_in_failures WHERE Source <> '*'"));

        // 198.51.100.1 has used its two; other clients behind the same proxy have theirs.
        using var limited = await LoginAsync(client, username, RotorClient.Password, connection: Proxy, forwardedFor: "198.51.100.1");
        await RotorClient.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        using var other = await LoginAsync(client, username, RotorClient.Password, connection: Proxy, forwardedFor: "198.51.100.2");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        // A connection from anywhere else is not believed.
        using var direct = await LoginAsync(client, username, RotorClient.Password, connection: "192.0.2.50", forwardedFor: "198.51.100.3");
        Assert.Equal(["192.0.2.50"], await SessionAddressesAsync(client, direct, "192.0.2.50"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Loopback_is_not_trusted_unless_listed(string loopback)
    {
        // ASP.NET Core trusts loopback by default; once Rotor's proxies are configured, only they are trusted.
        using var app = Create(("Rotor:ForwardedHeaders:KnownProxies:0", Proxy));
        using var client = app.Client();
        var (username, _, _) = await client.NewUserAsync();

        using var response = await LoginAsync(client, username, RotorClient.Password, connection: loopback, forwardedFor: "198.51.100.1");

        Assert.Equal([loopback], await SessionAddressesAsync(client, response, loopback));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    public async Task A_known_network_is_given_in_CIDR_and_only_hops_its_proxies_added_are_believed(string forwardLimit)
    {
        using var app = Create(("Rotor:ForwardedHeaders:KnownNetworks:0", "203.0.113.0/24"), ("Rotor:ForwardedHeaders:ForwardLimit", forwardLimit));
        using var client = app.Client();
        var (username, _, _) = await client.NewUserAsync();

        // The client wrote 192.0.2.66 itself; the proxy appended the address it saw. Only the latter counts.
        using var response = await LoginAsync(client, username, RotorClient.Password, connection: "203.0.113.200", forwardedFor: "192.0.2.66, 198.51.100.5");

        Assert.Equal(["198.51.100.5"], await SessionAddressesAsync(client, response));
    }

    [Theory]
    [InlineData("Rotor:ForwardedHeaders:KnownProxies:0", "proxy.example.com", "Rotor:ForwardedHeaders:KnownProxies:0")]
    [InlineData("Rotor:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "Rotor:ForwardedHeaders:KnownNetworks:0")]
    [InlineData("Rotor:ForwardedHeaders:ForwardLimit", "0", "Rotor:ForwardedHeaders:ForwardLimit")]
    public void A_bad_proxy_setting_stops_the_start_with_a_message_naming_it(string key, string value, string expected)
    {
        using var app = new RotorApp(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> LoginAsync(RotorClient client, string username, string password, string connection, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = JsonContent.Create(new { username, password, mode = "native" }) };
        request.Headers.Add(LifecycleHost.AddressHeader, connection);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.Http.SendAsync(request);
    }

    /// <summary>The addresses of the sessions listed to the session <paramref name="login"/> started.</summary>
    private static async Task<List<string?>> SessionAddressesAsync(RotorClient client, HttpResponseMessage login, string connection = Proxy)
    {
        var body = await LifecycleHost.AssertOkJsonAsync(login);
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/sessions");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (string)body["accessToken"]!);
        request.Headers.Add(LifecycleHost.AddressHeader, connection);
        using var response = await client.Http.SendAsync(request);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        return [.. list.Where(s => (bool)s!["current"]!).Select(s => (string?)s!["ipAddress"])];
    }
}

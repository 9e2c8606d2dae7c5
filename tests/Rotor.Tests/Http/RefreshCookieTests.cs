using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Http;

/// <summary>
/// The refresh cookie is a <c>__Host-</c> cookie, which a browser accepts only from this exact host (Secure,
/// Path=/, no Domain). A sibling subdomain can still plant a plain <c>rotor_refresh</c> cookie for the parent
/// domain (cookie tossing); the server never reads it.
/// </summary>
public sealed class RefreshCookieTests : IDisposable
{
    private const string PlantedName = "rotor_refresh";

    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public RefreshCookieTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task The_default_cookie_is_a_host_cookie()
    {
        var user = await _client.RegisterAsync();
        using var response = await _client.LoginAsync((string)user["username"]!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var cookie = SetCookieHeader.Parse(raw);
        Assert.Equal("__Host-rotor_refresh", cookie.Name);
        Assert.Equal("/", cookie.Attributes["path"]);
        Assert.True(cookie.Has("secure"), raw);
        Assert.True(cookie.Has("httponly"), raw);
        Assert.Equal("strict", cookie.Attributes["samesite"], ignoreCase: true);
        Assert.False(cookie.Has("domain"), raw);
    }

    [Fact]
    public async Task A_planted_cookie_next_to_the_victims_is_ignored_and_the_victim_keeps_their_session()
    {
        var victim = await _client.NewBrowserSessionAsync();
        var attacker = await _client.NewBrowserSessionAsync();
        var cookie = victim.Cookie;

        // Browsers send the longer path first, and a tossed cookie can claim Path=/auth; try both orders.
        foreach (var header in (Func<string, string>[])[
            c => $"{PlantedName}={attacker.Cookie}; {RotorClient.CookieName}={c}",
            c => $"{RotorClient.CookieName}={c}; {PlantedName}={attacker.Cookie}",
        ])
        {
            using var response = await SendAsync("/auth/refresh", header(cookie));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await RotorClient.ReadJsonAsync(response);
            Assert.Equal(victim.SessionId.ToString(), (string?)body["sessionId"]);
            Assert.Equal(victim.Username, (string?)body["user"]!["username"]);
            cookie = RotorClient.SetCookie(response)!.Value;
            Assert.DoesNotContain(response.Headers.GetValues("Set-Cookie"), h => h.StartsWith(PlantedName + "=", StringComparison.Ordinal));
        }

        // Logging out with both ends the victim's session, not the attacker's.
        using var logout = await SendAsync("/auth/logout", $"{PlantedName}={attacker.Cookie}; {RotorClient.CookieName}={cookie}");
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var victimAfter = await _client.RefreshBrowserAsync(cookie);
        await RotorClient.AssertProblemAsync(victimAfter, HttpStatusCode.Unauthorized, "session_revoked");
        using var attackerAfter = await _client.RefreshBrowserAsync(attacker.Cookie);
        Assert.Equal(HttpStatusCode.OK, attackerAfter.StatusCode);
    }

    [Fact]
    public async Task A_victim_with_only_a_planted_cookie_is_not_signed_into_the_attackers_account()
    {
        var attacker = await _client.NewBrowserSessionAsync();

        using var refresh = await SendAsync("/auth/refresh", $"{PlantedName}={attacker.Cookie}");
        await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.Unauthorized, "refresh_token_missing");
        Assert.False(refresh.Headers.Contains("Set-Cookie"));

        // Nor can the planted cookie end the attacker's session by way of the victim, or be swapped by a sign-in.
        using var logout = await SendAsync("/auth/logout", $"{PlantedName}={attacker.Cookie}");
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var victim = (string)(await _client.RegisterAsync())["username"]!;
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = System.Net.Http.Json.JsonContent.Create(new { username = victim, password = RotorClient.Password }) };
        request.Headers.Add("Cookie", $"{PlantedName}={attacker.Cookie}");
        using var login = await _client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(victim, (string?)(await RotorClient.ReadJsonAsync(login))["user"]!["username"]);
        Assert.Equal(RotorClient.CookieName, SetCookieHeader.Parse(Assert.Single(login.Headers.GetValues("Set-Cookie"))).Name);

        using var attackerAfter = await _client.RefreshBrowserAsync(attacker.Cookie);
        Assert.Equal(HttpStatusCode.OK, attackerAfter.StatusCode);
    }

    [Fact]
    public async Task Two_cookies_of_the_servers_own_name_are_still_refused_and_cleared()
    {
        var first = await _client.NewBrowserSessionAsync();
        var second = await _client.NewBrowserSessionAsync();

        using var response = await SendAsync("/auth/refresh", $"{RotorClient.CookieName}={first.Cookie}; {RotorClient.CookieName}={second.Cookie}");

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_invalid");
        var cleared = RotorClient.SetCookie(response)!;
        Assert.Equal("", cleared.Value);
        Assert.Equal("/", cleared.Attributes["path"]);
        Assert.True(cleared.Has("secure"));
    }

    [Fact]
    public async Task Logout_clears_the_cookie_with_the_attributes_it_was_set_with()
    {
        var session = await _client.NewBrowserSessionAsync();

        using var logout = await SendAsync("/auth/logout", $"{RotorClient.CookieName}={session.Cookie}");

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var cleared = RotorClient.SetCookie(logout)!;
        Assert.Equal("", cleared.Value);
        Assert.Equal("0", cleared.Attributes["max-age"]);
        Assert.Equal("/", cleared.Attributes["path"]);
        Assert.True(cleared.Has("secure"));
        Assert.True(cleared.Has("httponly"));
        Assert.False(cleared.Has("domain"));
    }

    [Fact]
    public async Task Without_Secure_the_cookie_drops_the_host_prefix_for_plain_http_development()
    {
        using var app = new RotorApp(new Dictionary<string, string?> { ["Rotor:RefreshCookie:Secure"] = "false" });
        using var client = app.Client();
        var user = await client.RegisterAsync();

        using var response = await client.LoginAsync((string)user["username"]!);

        var cookie = SetCookieHeader.Parse(Assert.Single(response.Headers.GetValues("Set-Cookie")));
        Assert.Equal("rotor_refresh", cookie.Name);
        Assert.Equal("/", cookie.Attributes["path"]);
        Assert.False(cookie.Has("secure"));

        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/refresh");
        request.Headers.Add("Cookie", $"rotor_refresh={cookie.Value}");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        using var refresh = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(string path, string cookieHeader)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Cookie", cookieHeader);
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        return _client.Http.SendAsync(request);
    }
}

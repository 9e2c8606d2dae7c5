using System.Net;
using System.Net.Http.Json;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Security;

public sealed class CsrfTests : IDisposable
{
    private const string AllowedOrigin = "https://app.example.com";

    private readonly RotorApp _app = new(new Dictionary<string, string?>
    {
        ["Rotor:AllowedOrigins:0"] = AllowedOrigin,
        ["Rotor:RefreshTokenLifetime"] = "01:00:00",
        ["Rotor:SessionLifetime"] = "03:00:00",
    });

    private readonly RotorClient _client;

    public CsrfTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    public static TheoryData<string?, bool, string?> Refusals => new()
    {
        // origin, X-Requested-With, Sec-Fetch-Site
        { null, false, null },
        { "https://localhost", false, "same-origin" },
        { "https://evil.example", true, null },
        { "http://localhost", true, null },
        { "https://localhost:8443", true, null },
        { "https://app.example.com.evil.example", true, null },
        { "https://evil.app.example.com", true, null },
        { "http://app.example.com", true, null },
        { "null", true, null },
        { "https://localhost/path", true, null },
        { null, true, "cross-site" },
        { "https://localhost", true, "cross-site" },
        { AllowedOrigin, true, "CROSS-SITE" },
    };

    public static TheoryData<string?, string?> Acceptances => new()
    {
        { null, null },
        { "https://localhost", null },
        { "https://localhost", "same-origin" },
        { AllowedOrigin, null },
        { AllowedOrigin, "same-site" },
        { "HTTPS://APP.EXAMPLE.COM", null },
        { "https://app.example.com:443", null },
        { null, "none" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_cookie_refresh_is_403_and_changes_nothing(string? origin, bool csrfHeader, string? fetchSite)
    {
        var session = await _client.NewBrowserSessionAsync();

        using var refused = await _client.RefreshBrowserAsync(session.Cookie, origin, csrfHeader, fetchSite);

        await RotorClient.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "csrf_rejected");
        Assert.Null(RotorClient.SetCookie(refused));
        Assert.Contains("Origin", refused.Headers.Vary);

        // The refusal neither rotated nor revoked anything: the same cookie still refreshes.
        using var after = await _client.RefreshBrowserAsync(session.Cookie);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Acceptances))]
    public async Task A_cookie_refresh_from_the_servers_own_or_a_listed_origin_is_accepted(string? origin, string? fetchSite)
    {
        var session = await _client.NewBrowserSessionAsync();

        using var response = await _client.RefreshBrowserAsync(session.Cookie, origin, csrfHeader: true, fetchSite);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.NotNull(RotorClient.SetCookie(response));
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_cookie_logout_is_403_and_signs_nobody_out(string? origin, bool csrfHeader, string? fetchSite)
    {
        var session = await _client.NewBrowserSessionAsync();

        using var refused = await LogoutAsync(session.Cookie, origin, csrfHeader, fetchSite);

        await RotorClient.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "csrf_rejected");
        Assert.Null(RotorClient.SetCookie(refused));
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var after = await _client.RefreshBrowserAsync(session.Cookie);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Acceptances))]
    public async Task A_cookie_logout_from_the_servers_own_or_a_listed_origin_signs_out(string? origin, string? fetchSite)
    {
        var session = await _client.NewBrowserSessionAsync();

        using var response = await LogoutAsync(session.Cookie, origin, csrfHeader: true, fetchSite);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("", RotorClient.SetCookie(response)?.Value);
        using var after = await _client.RefreshBrowserAsync(session.Cookie);
        await RotorClient.AssertProblemAsync(after, HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Fact]
    public async Task A_native_refresh_with_the_token_in_the_body_needs_no_csrf_header()
    {
        var session = await _client.NewNativeSessionAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/refresh") { Content = JsonContent.Create(new { refreshToken = session.RefreshToken }) };
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await _client.Http.SendAsync(request);

        // No ambient credential is involved, so there is nothing to forge.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_preflight_from_a_listed_origin_is_allowed_with_credentials()
    {
        using var response = await PreflightAsync("/auth/refresh", AllowedOrigin);

        Assert.True(response.IsSuccessStatusCode, $"Preflight answered {(int)response.StatusCode}");
        Assert.Equal(AllowedOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Single(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("POST", Single(response, "Access-Control-Allow-Methods"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-requested-with", Single(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("https://evil.example")]
    [InlineData("https://app.example.com.evil.example")]
    [InlineData("http://app.example.com")]
    [InlineData("*")]
    public async Task A_preflight_from_null_or_an_unlisted_origin_gets_no_cors_headers(string origin)
    {
        using var response = await PreflightAsync("/auth/refresh", origin);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), $"Access-Control-Allow-Origin: {string.Join(",", response.Headers.TryGetValues("Access-Control-Allow-Origin", out var v) ? v : [])}");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_cross_origin_refresh_from_a_listed_origin_carries_cors_headers_and_unlisted_ones_do_not()
    {
        var session = await _client.NewBrowserSessionAsync();

        using var allowed = await _client.RefreshBrowserAsync(session.Cookie, AllowedOrigin);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(AllowedOrigin, Single(allowed, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Single(allowed, "Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", allowed.Headers.Vary);

        using var refused = await _client.RefreshBrowserAsync(RotorClient.SetCookie(allowed)!.Value, "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Contains("Origin", refused.Headers.Vary);
    }

    [Theory]
    [InlineData("/auth/refresh")]
    [InlineData("/auth/login")]
    [InlineData("/auth/logout")]
    [InlineData("/auth/register")]
    [InlineData("/users/me")]
    public async Task Responses_vary_by_origin(string path)
    {
        var request = new HttpRequestMessage(path == "/users/me" ? HttpMethod.Get : HttpMethod.Post, path);
        if (path != "/users/me")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await _client.Http.SendAsync(request);

        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Theory]
    [InlineData("GET", "/auth/login")]
    [InlineData("PUT", "/auth/login")]
    [InlineData("DELETE", "/auth/login")]
    [InlineData("GET", "/auth/refresh")]
    [InlineData("PUT", "/auth/refresh")]
    [InlineData("DELETE", "/auth/refresh")]
    [InlineData("GET", "/auth/logout")]
    [InlineData("PUT", "/auth/logout")]
    [InlineData("DELETE", "/auth/logout")]
    [InlineData("GET", "/auth/register")]
    [InlineData("PUT", "/auth/register")]
    [InlineData("DELETE", "/auth/register")]
    [InlineData("GET", "/auth/logout-all")]
    [InlineData("PUT", "/auth/logout-all")]
    [InlineData("DELETE", "/auth/logout-all")]
    public async Task Other_methods_on_the_post_endpoints_are_405(string method, string path)
    {
        var session = await _client.NewBrowserSessionAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Cookie", $"{RotorClient.CookieName}={session.Cookie}");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.AccessToken);

        using var response = await _client.Http.SendAsync(request);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Contains("POST", response.Content.Headers.Allow);
        Assert.Null(RotorClient.SetCookie(response));

        // A GET can be triggered cross-site by a link or an image: it must have done nothing.
        using var after = await _client.RefreshBrowserAsync(session.Cookie);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task The_browser_login_cookie_is_a_HttpOnly_Secure_SameSite_Strict_host_cookie_and_bounded()
    {
        var user = await _client.RegisterAsync();
        using var response = await _client.LoginAsync((string)user["username"]!);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = Assert.Single(response.Headers.GetValues("Set-Cookie"), h => h.StartsWith(RotorClient.CookieName + "=", StringComparison.Ordinal));

        var cookie = SetCookieHeader.Parse(raw);

        Assert.NotEqual("", cookie.Value);
        Assert.True(cookie.Has("httponly"), raw);
        Assert.True(cookie.Has("secure"), raw);
        Assert.Equal("strict", cookie.Attributes["samesite"], ignoreCase: true);
        Assert.Equal("/", cookie.Attributes["path"]);
        Assert.False(cookie.Has("domain"), raw);
        var maxAge = long.Parse(cookie.Attributes["max-age"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(maxAge, 1, 3600);
        Assert.Null((await RotorClient.ReadJsonAsync(response))["refreshToken"]);
    }

    [Fact]
    public async Task The_cookie_never_outlives_the_session_however_recently_it_was_rotated()
    {
        var session = await _client.NewBrowserSessionAsync();
        var cookie = session.Cookie;

        // Rotate every 50 minutes: at 150 minutes the one-hour idle window would reach 210, past the three-hour session.
        long maxAge = 0;
        for (var i = 0; i < 3; i++)
        {
            _app.Time.Advance(TimeSpan.FromMinutes(50));
            using var response = await _client.RefreshBrowserAsync(cookie);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var set = RotorClient.SetCookie(response)!;
            cookie = set.Value;
            maxAge = long.Parse(set.Attributes["max-age"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(maxAge, 1, 3600);
        }

        Assert.InRange(maxAge, 1, 30 * 60);
    }

    [Fact]
    public async Task With_Secure_turned_off_the_cookie_is_not_Secure()
    {
        using var app = new RotorApp(new Dictionary<string, string?> { ["Rotor:RefreshCookie:Secure"] = "false" });
        using var client = app.Client();
        var user = await client.RegisterAsync();

        using var response = await client.LoginAsync((string)user["username"]!);

        // Browsers refuse a __Host- cookie that is not Secure, so the name drops the prefix.
        var cookie = RotorClient.SetCookie(response, "rotor_refresh")!;
        Assert.False(cookie.Has("secure"));
        Assert.True(cookie.Has("httponly"));
        Assert.Equal("strict", cookie.Attributes["samesite"], ignoreCase: true);
    }

    [Fact]
    public async Task A_login_that_carries_a_refresh_cookie_replaces_that_session()
    {
        var old = await _client.NewBrowserSessionAsync();

        using var login = await _client.LoginAsync(old.Username, cookie: old.Cookie);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await RotorClient.ReadJsonAsync(login);
        Assert.NotEqual(old.SessionId.ToString(), (string?)body["sessionId"]);
        var fresh = RotorClient.SetCookie(login);
        Assert.NotNull(fresh);
        Assert.NotEqual(old.Cookie, fresh.Value);

        using var oldRefresh = await _client.RefreshBrowserAsync(old.Cookie);
        await RotorClient.AssertProblemAsync(oldRefresh, HttpStatusCode.Unauthorized, "session_revoked");
        using var oldAccess = await _client.SendAsync(HttpMethod.Get, "/users/me", old.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, oldAccess.StatusCode);

        using var freshRefresh = await _client.RefreshBrowserAsync(fresh.Value);
        Assert.Equal(HttpStatusCode.OK, freshRefresh.StatusCode);
    }

    [Fact]
    public async Task Two_refresh_cookies_in_one_request_are_refused()
    {
        var first = await _client.NewBrowserSessionAsync();
        var second = await _client.NewBrowserSessionAsync();

        foreach (var header in (string[])[
            $"{RotorClient.CookieName}={first.Cookie}; {RotorClient.CookieName}={second.Cookie}",
            $"{RotorClient.CookieName}={first.Cookie}; {RotorClient.CookieName}={first.Cookie}",
            $"{RotorClient.CookieName}=garbage; {RotorClient.CookieName}={first.Cookie}",
        ])
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/auth/refresh");
            request.Headers.Add("Cookie", header);
            request.Headers.Add("X-Requested-With", "XMLHttpRequest");
            using var response = await _client.Http.SendAsync(request);
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_invalid");
        }

        // Neither session was touched.
        using var firstAfter = await _client.RefreshBrowserAsync(first.Cookie);
        Assert.Equal(HttpStatusCode.OK, firstAfter.StatusCode);
        using var secondAfter = await _client.RefreshBrowserAsync(second.Cookie);
        Assert.Equal(HttpStatusCode.OK, secondAfter.StatusCode);
    }

    private Task<HttpResponseMessage> LogoutAsync(string cookie, string? origin, bool csrfHeader, string? fetchSite) =>
        _client.CookieRequestAsync("/auth/logout", cookie, origin, csrfHeader, fetchSite);

    private Task<HttpResponseMessage> PreflightAsync(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-requested-with");
        return _client.Http.SendAsync(request);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? Assert.Single(values) : throw new Xunit.Sdk.XunitException($"No {header} header.");
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 10: the refresh token is out of JavaScript's reach and no token is kept in web storage.</summary>
public sealed partial class RefreshCookieTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task Refresh_cookie_is_HttpOnly_and_no_token_is_in_web_storage()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);

        await tab.LoginAsync(username);
        // One refresh too, so a rotated token would show up in storage as well.
        await tab.Button("Refresh now").ClickAsync();
        await Assertions.Expect(tab.RefreshLog.GetByText("Silent refresh (on request)")).ToBeVisibleAsync();
        await tab.CallApiAsync();

        var cookies = await tab.Page.Context.CookiesAsync();
        var refresh = Assert.Single(cookies, c => c.Name == "rotor_refresh");
        Assert.True(refresh.HttpOnly, "the refresh cookie must be HttpOnly");
        // Chromium treats http://127.0.0.1 as a secure context, so the cookie keeps its production Secure flag.
        Assert.True(refresh.Secure, "the refresh cookie must be Secure");
        Assert.Equal(SameSiteAttribute.Strict, refresh.SameSite);
        Assert.Equal("/auth", refresh.Path);

        var documentCookie = await tab.Page.EvaluateAsync<string>("() => document.cookie");
        Assert.DoesNotContain("rotor_refresh", documentCookie, StringComparison.Ordinal);
        Assert.DoesNotContain(refresh.Value, documentCookie, StringComparison.Ordinal);

        var storage = await tab.Page.EvaluateAsync<string[]>("""
            () => [localStorage, sessionStorage].flatMap(s => Object.keys(s).flatMap(k => [k, s.getItem(k) ?? '']))
            """);
        var accessTokens = (await tab.TokenResponsesAsync()).Select(b => b.GetProperty("accessToken").GetString()!).ToList();
        Assert.NotEmpty(accessTokens);
        foreach (var item in storage)
        {
            Assert.DoesNotMatch(Jwt(), item);
            Assert.DoesNotContain(refresh.Value, item, StringComparison.Ordinal);
            Assert.All(accessTokens, token => Assert.DoesNotContain(token, item, StringComparison.Ordinal));
        }

        // The cookie is scoped to /auth: API calls carry the bearer token only, never the refresh token.
        var apiRequest = await tab.Page.RunAndWaitForRequestAsync(
            () => tab.Button("Call the API").ClickAsync(),
            r => r.Url.EndsWith("/api/demo/time", StringComparison.Ordinal));
        var headers = await apiRequest.AllHeadersAsync();
        Assert.False(headers.TryGetValue("cookie", out var sent) && sent.Contains("rotor_refresh", StringComparison.Ordinal), "the refresh cookie went along with an API call");
        Assert.StartsWith("Bearer ", headers["authorization"], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"eyJ[\w-]+\.[\w-]+\.[\w-]+")]
    private static partial Regex Jwt();
}

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
        // Chromium treats http://127.0.0.1 as a secure context, so it accepts the production __Host- cookie
        // (Secure, Path=/, no Domain) there as it would over HTTPS.
        var refresh = Assert.Single(cookies, c => c.Name == "__Host-rotor_refresh");
        Assert.True(refresh.HttpOnly, "the refresh cookie must be HttpOnly");
        Assert.True(refresh.Secure, "the refresh cookie must be Secure");
        Assert.Equal(SameSiteAttribute.Strict, refresh.SameSite);
        Assert.Equal("/", refresh.Path);
        Assert.DoesNotContain(cookies, c => c.Name == "rotor_refresh");

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

        // API calls authenticate with the bearer token. (A __Host- cookie has Path=/, so the browser sends it along
        // too; only /auth/refresh and /auth/logout read it.)
        var apiRequest = await tab.Page.RunAndWaitForRequestAsync(
            () => tab.Button("Call the API").ClickAsync(),
            r => r.Url.EndsWith("/api/demo/time", StringComparison.Ordinal));
        var headers = await apiRequest.AllHeadersAsync();
        Assert.StartsWith("Bearer ", headers["authorization"], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"eyJ[\w-]+\.[\w-]+\.[\w-]+")]
    private static partial Regex Jwt();
}

using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 4: when the session ends, the next API call lands on /login with the reason.</summary>
public sealed class SessionEndTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task When_the_refresh_lifetime_has_passed_or_the_session_is_revoked_the_next_call_lands_on_login()
    {
        // The refresh token lives 4 s unless used; with refresh-ahead off, the tab lets it lapse.
        var host = StartHost(new Dictionary<string, string?> { ["Rotor:RefreshTokenLifetime"] = "00:00:04" });
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.LoginAsync(username, "?proactive=off");
        var signedIn = DateTimeOffset.UtcNow;
        var signedInAt = tab.Urls.Count;

        await tab.WaitForTokenExpiryAsync();
        var untilLapsed = signedIn.AddSeconds(4.5) - DateTimeOffset.UtcNow;
        if (untilLapsed > TimeSpan.Zero)
        {
            // The refresh token's expiry is a known instant on the server; the page has nothing to show for it.
            await Task.Delay(untilLapsed);
        }

        var mark = tab.Mark();
        await tab.Button("Call the API").ClickAsync();
        await tab.ExpectLoginPageAsync();
        // The cookie's Max-Age is the refresh token's lifetime, so Chromium has usually dropped it by now (the server
        // then says refresh_token_missing); either way the session is over and the page says so.
        await Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("reason=refresh_token_(expired|missing)&next=%2Fdashboard"));
        await Expect(tab.Page.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new("Your session has (ended|expired)\\. Please log in again\\.") })).ToBeVisibleAsync();
        Assert.Equal(1, tab.Responses("POST", "/auth/refresh", 401, mark));
        // The tab's URL log sees client-side navigations too (what the other tests' "never saw /login" rests on).
        Assert.True(tab.HasShownLoginSince(signedInAt));

        // Back in, the app returns to where the user was.
        await tab.FillLoginAsync(username, RotorTestHost.Password);
        await tab.ExpectDashboardAsync(username);
        await tab.CallApiAsync();

        // 2. Revoked: the user signs out everywhere from a script (another device). The access token this tab
        // holds is still within its 3 s, but the server refuses it, the refresh says why, and the tab goes to /login.
        var (accessToken, _) = await host.SignInByApiAsync(username);
        using (var script = host.CreatePlainClient())
        using (var request = new HttpRequestMessage(HttpMethod.Post, "auth/logout-all"))
        {
            request.Headers.Authorization = new("Bearer", accessToken);
            using var response = await script.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"logout-all answered {(int)response.StatusCode}");
        }

        mark = tab.Mark();
        await tab.Button("Call the API").ClickAsync();
        await tab.ExpectLoginPageAsync();
        await Expect(tab.StatusText("This session was signed out")).ToBeVisibleAsync();
        Assert.Equal(1, tab.Responses("POST", "/auth/refresh", 401, mark));
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToHaveCountAsync(0);
    }
}

using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 2: after the access token expires, an API call refreshes silently and succeeds.</summary>
public sealed class SilentRefreshTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task After_expiry_an_API_call_refreshes_silently_and_the_user_never_sees_the_login_page()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.LoginAsync(username, "?proactive=off");
        var signedInAt = tab.Urls.Count;

        await tab.WaitForTokenExpiryAsync();
        var mark = tab.Mark();
        await tab.CallApiAsync();

        Assert.Equal(1, tab.RefreshRequests(mark));
        Assert.Equal(1, tab.Responses("POST", "/auth/refresh", 200, mark));
        Assert.Equal(0, tab.Responses("GET", "/api/demo/time", 401, mark));
        await Expect(tab.RefreshLog.GetByText("Silent refresh (token had expired)")).ToBeVisibleAsync();

        // Refresh-ahead, as the app runs by default: the token is renewed before it expires, again and again.
        await tab.Page.GetByLabel("Refresh ahead of expiry while this tab is visible").CheckAsync();
        await Expect(tab.RefreshLog.GetByText("Silent refresh (before expiry)").Nth(1)).ToBeVisibleAsync();
        mark = tab.Mark();
        await tab.CallApiAsync();
        Assert.Equal(0, tab.Responses("GET", "/api/demo/time", 401, mark));
        await Expect(tab.TokenRemaining).ToContainTextAsync("Expires in");

        await tab.ExpectDashboardAsync(username);
        Assert.False(tab.HasShownLoginSince(signedInAt));
        await Screenshots.SaveAsync(tab.Page, "dashboard");
    }
}

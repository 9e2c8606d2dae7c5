using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 6: a reload keeps the user signed in (the HttpOnly cookie turns into a new access token).</summary>
public sealed class ReloadTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task A_reload_keeps_the_user_signed_in()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.LoginAsync(username);
        var signedInAt = tab.Urls.Count;

        var mark = tab.Mark();
        await tab.Page.ReloadAsync();
        await tab.ExpectDashboardAsync(username);
        Assert.Equal(1, tab.Responses("POST", "/auth/refresh", 200, mark));
        await tab.CallApiAsync();

        // A fresh page load at another address, and one after the access token has expired.
        await tab.GotoAsync("/profile");
        await Expect(tab.Heading("Profile")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText(username).First).ToBeVisibleAsync();
        await Expect(tab.Page.GetByLabel("New username", new() { Exact = true })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(tab.Page, "profile");

        await tab.GotoAsync("/security");
        await Expect(tab.Heading("Security log")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText("Loading…")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(tab.Page, "security-log");

        await tab.GotoAsync("/dashboard?proactive=off");
        await tab.ExpectDashboardAsync(username);
        await tab.WaitForTokenExpiryAsync();
        mark = tab.Mark();
        await tab.Page.ReloadAsync();
        await tab.ExpectDashboardAsync(username);
        await Expect(tab.TokenRemaining).ToContainTextAsync("Expires in");
        Assert.Equal(1, tab.Responses("POST", "/auth/refresh", 200, mark));
        await tab.CallApiAsync();

        Assert.False(tab.HasShownLoginSince(signedInAt));
    }
}

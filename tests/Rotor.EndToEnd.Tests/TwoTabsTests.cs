using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 7: two tabs whose tokens expire together both keep working, and the session lives on.</summary>
public sealed class TwoTabsTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task Two_tabs_whose_tokens_expire_together_both_keep_working_and_the_session_is_not_revoked()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var device = await NewDeviceAsync(host);
        var first = await DemoPage.OpenAsync(device);
        await first.LoginAsync(username);
        var signedInAt = first.Urls.Count;
        var second = await DemoPage.OpenAsync(device);
        await second.GotoAsync("/dashboard");
        await second.ExpectDashboardAsync(username);

        // 1. Refresh-ahead in both tabs: they hold the same token (shared through BroadcastChannel), so both
        // want to refresh at the same moment, cycle after cycle.
        var mark1 = first.Mark();
        var mark2 = second.Mark();
        await DemoPage.WaitUntilAsync(
            () => first.Responses("POST", "/auth/refresh", 200, mark1) + second.Responses("POST", "/auth/refresh", 200, mark2) >= 3,
            "three refresh cycles across the two tabs");
        await Task.WhenAll(first.CallApiAsync(), second.CallApiAsync());
        Assert.Equal(0, first.Responses("POST", "/auth/refresh", 401, mark1) + second.Responses("POST", "/auth/refresh", 401, mark2));

        // 2. Both tabs let the token run out, then call at the same instant: both refresh (or one adopts the
        // other's token) and both calls succeed.
        await Task.WhenAll(Uncheck(first), Uncheck(second));
        await Task.WhenAll(first.WaitForTokenExpiryAsync(), second.WaitForTokenExpiryAsync());
        mark1 = first.Mark();
        mark2 = second.Mark();
        await Task.WhenAll(first.Button("Call the API").ClickAsync(), second.Button("Call the API").ClickAsync());
        await Task.WhenAll(
            Expect(first.StatusText("Server time:")).ToBeVisibleAsync(),
            Expect(second.StatusText("Server time:")).ToBeVisibleAsync());
        await DemoPage.WaitUntilAsync(() => first.Responses("GET", "/api/demo/time", 200, mark1) == 1 && second.Responses("GET", "/api/demo/time", 200, mark2) == 1, "both calls' answers");
        var refreshes = first.RefreshRequests(mark1) + second.RefreshRequests(mark2);
        Assert.InRange(refreshes, 1, 2);
        Assert.Equal(0, first.Responses("POST", "/auth/refresh", 401, mark1) + second.Responses("POST", "/auth/refresh", 401, mark2));

        // The session is alive and not revoked: it is listed, and a refresh still works in each tab.
        await second.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
        await Expect(second.Heading("Sessions")).ToBeVisibleAsync();
        await Expect(second.Page.GetByText("This device", new() { Exact = true }).Last).ToBeVisibleAsync();
        await Expect(second.Page.GetByText("No other device is signed in.")).ToBeVisibleAsync();
        await first.Button("Refresh now").ClickAsync();
        await Expect(first.RefreshLog.GetByText("Silent refresh (on request)")).ToBeVisibleAsync();
        await first.CallApiAsync();
        Assert.False(first.HasShownLoginSince(signedInAt));
        Assert.False(second.HasShownLoginSince(0));
    }

    private static Task Uncheck(DemoPage tab) => tab.Page.GetByLabel("Refresh ahead of expiry while this tab is visible").UncheckAsync();
}

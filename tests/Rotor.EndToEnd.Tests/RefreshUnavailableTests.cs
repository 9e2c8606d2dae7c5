using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 11: a refresh answered 503 keeps the user signed in, and the app carries on once the server recovers.</summary>
public sealed class RefreshUnavailableTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task A_503_to_a_refresh_does_not_sign_the_user_out_and_the_app_recovers()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.LoginAsync(username, "?proactive=off");
        var signedInAt = tab.Urls.Count;
        await tab.WaitForTokenExpiryAsync();

        host.Refresh.Unavailable = true;
        var mark = tab.Mark();
        await tab.Button("Call the API").ClickAsync();
        await Expect(tab.ErrorAlert).ToContainTextAsync("You are still signed in");
        Assert.Equal(1, tab.Responses("POST", "/auth/refresh", 503, mark));
        await Expect(tab.RefreshLog.GetByText("Refresh failed")).ToBeVisibleAsync();
        await tab.ExpectDashboardAsync(username);
        await Expect(tab.Button("Log out")).ToBeVisibleAsync();

        // A reload during the outage: the app says the server is unavailable, not that the user is signed out.
        await tab.Page.ReloadAsync();
        await Expect(tab.Heading("Server unavailable")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText("If you were signed in, you still are.")).ToBeVisibleAsync();
        Assert.True(host.Refresh.Refused >= 2);

        // The server recovers: "Try again" restores the session from the cookie, and the API works.
        // The client holds back for the 503's Retry-After (1 s), so a click inside that second is answered from memory.
        host.Refresh.Unavailable = false;
        var deadline = DateTime.UtcNow.AddMilliseconds(BrowserFixture.TimeoutMs);
        while (await tab.Button("Try again").IsVisibleAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, "the app did not recover within 15 s of the server doing so");
            await tab.Button("Try again").ClickAsync();
            await Expect(tab.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Loading" })).ToHaveCountAsync(0);
            await Task.Delay(200);
        }

        await tab.ExpectDashboardAsync(username);
        await tab.CallApiAsync();
        Assert.False(tab.HasShownLoginSince(signedInAt));

        // Recovery without a reload too: the outage comes back, a call fails with the session kept, and once the
        // server answers again the next call after the back-off succeeds.
        await tab.WaitForTokenExpiryAsync();
        host.Refresh.Unavailable = true;
        mark = tab.Mark();
        await tab.Button("Call the API").ClickAsync();
        await Expect(tab.ErrorAlert).ToContainTextAsync("You are still signed in");
        host.Refresh.Unavailable = false;
        await CallUntilItSucceedsAsync(tab);
        Assert.True(tab.Responses("POST", "/auth/refresh", 200, mark) >= 1);
        await tab.ExpectDashboardAsync(username);
        Assert.False(tab.HasShownLoginSince(signedInAt));
    }

    /// <summary>The client holds back for Retry-After; calls made before then fail fast. Call until one succeeds.</summary>
    private static async Task CallUntilItSucceedsAsync(DemoPage tab)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(BrowserFixture.TimeoutMs);
        var success = tab.StatusText("Server time:");
        while (true)
        {
            await tab.Button("Call the API").ClickAsync();
            await Expect(tab.Button("Call the API")).ToBeEnabledAsync();
            if (await success.IsVisibleAsync())
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the app did not recover within 15 s of the server doing so");
            await tab.ErrorAlert.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 2000 });
            await Task.Delay(200);
        }
    }
}

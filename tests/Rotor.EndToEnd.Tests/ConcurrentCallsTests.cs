using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 3: five API calls fired together after expiry cause exactly one refresh on the wire.</summary>
public sealed class ConcurrentCallsTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task Five_calls_at_once_after_expiry_send_exactly_one_refresh()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var device = await NewDeviceAsync(host);
        // A controllable clock for the second half; until then it runs like the real one.
        await device.Clock.InstallAsync();
        var tab = await DemoPage.OpenAsync(device);
        await tab.LoginAsync(username, "?proactive=off");
        var signedInAt = tab.Urls.Count;

        // 1. The client knows the token has expired: the first call refreshes, the other four wait for it.
        await tab.WaitForTokenExpiryAsync();
        var mark = tab.Mark();
        await tab.Button("Call it 5 times at once").ClickAsync();
        await Expect(tab.StatusText("5 calls succeeded")).ToBeVisibleAsync();
        Assert.Equal(1, tab.RefreshRequests(mark));
        Assert.Equal(5, tab.Responses("GET", "/api/demo/time", 200, mark));
        Assert.Equal(0, tab.Responses("GET", "/api/demo/time", 401, mark));

        // 2. Refresh on 401: the tab's clock is set back, so it still trusts a token the server has already
        // expired. All five calls go out, all five come back 401, and one refresh serves every retry.
        var tokens = await tab.TokenResponsesAsync();
        var serverExpiry = tokens[^1].GetProperty("expiresAt").GetDateTimeOffset();
        await tab.Page.Clock.SetSystemTimeAsync(DateTime.UtcNow.AddSeconds(-60));
        var untilExpired = serverExpiry.AddMilliseconds(250) - DateTimeOffset.UtcNow;
        if (untilExpired > TimeSpan.Zero)
        {
            // The server's expiry is an instant we know; there is nothing in the page to wait for.
            await Task.Delay(untilExpired);
        }

        await Expect(tab.TokenRemaining).ToContainTextAsync("Expires in");
        mark = tab.Mark();
        await tab.Button("Call it 5 times at once").ClickAsync();
        await Expect(tab.Button("Call it 5 times at once")).ToBeEnabledAsync();
        await Expect(tab.StatusText("5 calls succeeded")).ToBeVisibleAsync();
        Assert.Equal(5, tab.Responses("GET", "/api/demo/time", 401, mark));
        Assert.Equal(1, tab.RefreshRequests(mark));
        Assert.Equal(5, tab.Responses("GET", "/api/demo/time", 200, mark));
        await Expect(tab.RefreshLog.GetByText("Silent refresh (after a 401)")).ToBeVisibleAsync();
        await tab.ExpectDashboardAsync(username);
        Assert.False(tab.HasShownLoginSince(signedInAt));
    }
}

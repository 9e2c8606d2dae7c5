using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 8: logging out in one tab sends the other tab to /login.</summary>
public sealed class LogoutTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task Logging_out_in_one_tab_sends_the_other_to_login()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var (device, first, second) = await TwoTabsAsync(host, username, "/sessions", "Sessions");

        await first.Button("Log out").ClickAsync();
        await first.ExpectLoginPageAsync();
        await Expect(first.StatusText("You are signed out.")).ToBeVisibleAsync();

        // The other tab follows by itself, without a click or a call of its own.
        await second.ExpectLoginPageAsync();
        await Expect(second.StatusText("You signed out in another tab.")).ToBeVisibleAsync();

        // And it is really over: the cookie is gone, so a reload does not sign anyone in.
        var cookies = await device.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name == "__Host-rotor_refresh" && c.Value.Length > 0);
        await second.GotoAsync("/dashboard");
        await second.ExpectLoginPageAsync();
    }
}

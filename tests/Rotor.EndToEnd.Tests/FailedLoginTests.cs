using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 5: a failed login shows its error and triggers no refresh.</summary>
public sealed class FailedLoginTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task A_failed_login_shows_its_error_and_sends_no_refresh()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.GotoAsync("/login");
        await Expect(tab.Heading("Log in")).ToBeVisibleAsync();
        // The page load's own restore (cookie → token) is over once the form shows.
        Assert.Equal(1, tab.RefreshRequests());
        await Screenshots.SaveAsync(tab.Page, "login");

        var mark = tab.Mark();
        await tab.FillLoginAsync(username, "not-the-password-1");
        await Expect(tab.ErrorAlert).ToContainTextAsync("That username or password is not right.");
        await Expect(tab.Page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync("not-the-password-1");

        await tab.FillLoginAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], RotorTestHost.Password);
        await DemoPage.WaitUntilAsync(() => tab.Responses("POST", "/auth/login", mark: mark) == 2, "the second login's answer");
        await Expect(tab.Button("Log in")).ToBeEnabledAsync();
        await Expect(tab.ErrorAlert).ToContainTextAsync("That username or password is not right.");

        Assert.Equal(2, tab.Responses("POST", "/auth/login", 401, mark));
        Assert.Equal(0, tab.RefreshRequests(mark));
        await tab.ExpectLoginPageAsync();
        await Screenshots.SaveAsync(tab.Page, "login-failed");

        // The error is a value, not a dead end: the right password still works.
        await tab.FillLoginAsync(username, RotorTestHost.Password);
        await tab.ExpectDashboardAsync(username);
        Assert.Equal(0, tab.RefreshRequests(mark));
    }
}

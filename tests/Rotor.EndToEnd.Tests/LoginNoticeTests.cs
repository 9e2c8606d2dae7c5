using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>
/// The login page says why the user is there, the same after a reload, one notice at a time; a lockout says that a
/// password reset unlocks the account, and the forgot-password page says where the mail goes on a developer's machine.
/// </summary>
public sealed partial class LoginNoticeTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task The_same_reason_says_the_same_after_a_reload_until_the_user_acts()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);

        // What a tab whose cookie the browser dropped lands on (SessionEndTests shows it arriving there).
        await tab.GotoAsync("/login?reason=refresh_token_missing&next=%2Fsessions");
        await Expect(tab.StatusText("Your session has ended. Please log in again.")).ToBeVisibleAsync();
        await tab.Page.ReloadAsync();
        await Expect(tab.Heading("Log in")).ToBeVisibleAsync();
        await Expect(tab.StatusText("Your session has ended. Please log in again.")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText("You are not signed in")).ToHaveCountAsync(0);
        await Expect(Notices(tab)).ToHaveCountAsync(1);

        // The user acts: a wrong password. Its error replaces the notice, and the URL no longer carries the reason.
        await tab.FillLoginAsync(username, "not-the-password-1");
        await Expect(tab.ErrorAlert).ToContainTextAsync("That username or password is not right.");
        await Expect(Notices(tab)).ToHaveCountAsync(1);
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/login\\?next=%2Fsessions$"));
        await tab.Page.ReloadAsync();
        await Expect(tab.Heading("Log in")).ToBeVisibleAsync();
        await Expect(Notices(tab)).ToHaveCountAsync(0);

        // And the way on is kept.
        await tab.FillLoginAsync(username, RotorTestHost.Password);
        await Expect(tab.Heading("Sessions")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task One_notice_at_a_time_and_a_lockout_says_a_reset_unlocks_the_account()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.GotoAsync("/login?reason=signed_out");
        await Expect(tab.StatusText("You are signed out.")).ToBeVisibleAsync();

        // Identity locks after five wrong passwords from one place; the page shows one message each time, never a pile.
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var mark = tab.Mark();
            await tab.FillLoginAsync(username, $"wrong-password-{attempt}");
            await DemoPage.WaitUntilAsync(() => tab.Responses("POST", "/auth/login", mark: mark) == 1, $"login answer {attempt}");
            await Expect(tab.Button("Log in")).ToBeEnabledAsync();
            await Expect(Notices(tab)).ToHaveCountAsync(1);
        }

        await Expect(tab.ErrorAlert).ToContainTextAsync("locked");
        await Expect(tab.ErrorAlert).ToContainTextAsync("Resetting your password unlocks it at once.");
        await Expect(tab.Page.GetByText("You are signed out.")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(tab.Page, "login-locked");

        var reset = tab.ErrorAlert.GetByRole(AriaRole.Link, new() { Name = "Reset your password" });
        await reset.ClickAsync();
        await Expect(tab.Heading("Forgot your password?")).ToBeVisibleAsync();
        var hint = tab.Page.GetByRole(AriaRole.Complementary, new() { Name = "Developer hint" });
        await Expect(hint).ToContainTextAsync("No mail leaves the machine");
        await Expect(hint).ToContainTextAsync("src/Rotor.Host/data/mail/");
        await Expect(hint).ToContainTextAsync("the reset link");
    }

    /// <summary>The messages the page shows: alerts and statuses with text, in the main region.</summary>
    private static ILocator Notices(DemoPage tab) =>
        tab.Page.Locator("main [role=alert], main [role=status]").Filter(new() { HasTextRegex = AnyText() });

    [GeneratedRegex(".+")]
    private static partial Regex AnyText();
}

using System.Net.Http.Json;
using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>
/// Each way a session ends says what really happened, in the tab that did it, in the browser's other tabs and on
/// other devices; and a reset link is checked when its page opens, so a dead link shows no form.
/// </summary>
public sealed class EndingReasonTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task A_password_reset_in_one_tab_tells_the_other_tab_the_password_changed_and_the_link_then_says_it_was_used()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var (_, first, second) = await TwoTabsAsync(host, username, "/sessions", "Sessions");

        var token = await RequestResetAsync(host, username);
        await first.GotoAsync("/reset-password?token=" + Uri.EscapeDataString(token));
        await Expect(first.Heading("Choose a new password")).ToBeVisibleAsync();
        await first.Page.GetByLabel("New password", new() { Exact = true }).FillAsync("a brand new passphrase 7");
        await first.Page.GetByLabel("Confirm new password", new() { Exact = true }).FillAsync("a brand new passphrase 7");
        await first.Button("Set new password").ClickAsync();

        await first.ExpectLoginPageAsync();
        await Expect(first.StatusText("Your password was changed and every session signed out.")).ToBeVisibleAsync();
        await second.ExpectLoginPageAsync();
        await Expect(second.StatusText("Your password was changed, so every session was signed out.")).ToBeVisibleAsync();
        await Expect(second.Page.GetByText("another tab")).ToHaveCountAsync(0);

        // The link is spent: opened again, it says so at once, with no form, and offers a new one.
        await first.GotoAsync("/reset-password?token=" + Uri.EscapeDataString(token));
        await Expect(first.Heading("This reset link does not work")).ToBeVisibleAsync();
        await Expect(first.ErrorAlert).ToContainTextAsync("already been used");
        await Expect(first.Page.GetByLabel("New password", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(first.Page.GetByRole(AriaRole.Link, new() { Name = "Ask for a new link" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task An_invalid_reset_link_says_so_when_the_page_opens_and_the_link_is_only_checked(int width)
    {
        var host = StartHost();
        var tab = await NewTabOnNewDeviceAsync(host, width);
        await tab.GotoAsync("/reset-password?token=not-a-real-token");

        await Expect(tab.Heading("This reset link does not work")).ToBeVisibleAsync();
        await Expect(tab.ErrorAlert).ToContainTextAsync("This reset link is not valid. Ask for a new one.");
        await Expect(tab.Page.GetByLabel("New password", new() { Exact = true })).ToHaveCountAsync(0);
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Ask for a new link" }).ClickAsync();
        await Expect(tab.Heading("Forgot your password?")).ToBeVisibleAsync();
        Assert.Equal(1, tab.Requests("POST", "/auth/reset-password/check"));
        Assert.Equal(0, tab.Requests("POST", "/auth/reset-password"));
        await Screenshots.SaveAsync(tab.Page, $"reset-invalid-{width}");
    }

    [Fact]
    public async Task Log_out_everywhere_says_so_here_in_the_other_tab_and_on_the_other_device()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var (_, first, second) = await TwoTabsAsync(host, username, "/dashboard", "Dashboard");
        var phone = await NewTabOnNewDeviceAsync(host);
        await phone.LoginAsync(username, "?proactive=off");

        await first.Page.GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
        await first.Button("Log out everywhere").ClickAsync();
        await first.Button("Yes, log out everywhere").ClickAsync();

        await first.ExpectLoginPageAsync();
        await Expect(first.StatusText("You signed out on all devices.")).ToBeVisibleAsync();
        await second.ExpectLoginPageAsync();
        await Expect(second.StatusText("You signed out on all devices")).ToBeVisibleAsync();
        await Expect(second.Page.GetByText("another tab")).ToHaveCountAsync(0);

        // The phone finds out at its next call, from the server's revocation reason.
        await phone.Button("Call the API").ClickAsync();
        await phone.ExpectLoginPageAsync();
        await Expect(phone.StatusText("You signed out on all devices")).ToBeVisibleAsync();
        await phone.Page.ReloadAsync();
        await Expect(phone.StatusText("You signed out on all devices")).ToBeVisibleAsync();
    }

    private static async Task<string> RequestResetAsync(RotorTestHost host, string username)
    {
        var email = username + "@example.com";
        using var client = host.CreatePlainClient();
        using var response = await client.PostAsJsonAsync("auth/forgot-password", new { email });
        Assert.True(response.IsSuccessStatusCode, $"forgot-password answered {(int)response.StatusCode}");
        return Uri.UnescapeDataString(await Mailbox.WaitForResetTokenAsync(host.MailDirectory, email));
    }
}

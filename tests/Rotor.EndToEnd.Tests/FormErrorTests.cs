using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Each error is said once: at its field, or in the form's banner, never both, and "already taken" once per field.</summary>
public sealed class FormErrorTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task Sign_up_with_a_taken_username_and_email_says_each_once_at_its_field()
    {
        var host = StartHost();
        var taken = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.GotoAsync("/signup");
        await Expect(tab.Heading("Create an account")).ToBeVisibleAsync();
        await tab.Page.GetByLabel("Username", new() { Exact = true }).FillAsync(taken);
        await tab.Page.GetByLabel("Email", new() { Exact = true }).FillAsync(taken + "@example.com");
        await tab.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(RotorTestHost.Password);
        await tab.Page.GetByLabel("Confirm password", new() { Exact = true }).FillAsync(RotorTestHost.Password);
        // The live check has spoken for both fields.
        await Expect(tab.Page.GetByText("This username is already taken")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText("This email address is already taken")).ToBeVisibleAsync();

        await tab.Button("Create account").ClickAsync();
        await AssertSaidOnceAsync(tab);

        // The same through the server's 409 (the live check has not answered yet): still once, at the field.
        var other = await NewTabOnNewDeviceAsync(host);
        await other.Page.RouteAsync("**/auth/availability*", route => route.AbortAsync());
        await other.GotoAsync("/signup");
        await other.Page.GetByLabel("Username", new() { Exact = true }).FillAsync(taken);
        await other.Page.GetByLabel("Email", new() { Exact = true }).FillAsync("fresh-" + Guid.NewGuid().ToString("N")[..8] + "@example.com");
        await other.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(RotorTestHost.Password);
        await other.Page.GetByLabel("Confirm password", new() { Exact = true }).FillAsync(RotorTestHost.Password);
        var mark = other.Mark();
        await other.Button("Create account").ClickAsync();
        await DemoPage.WaitUntilAsync(() => other.Responses("POST", "/auth/register", 409, mark) == 1, "the 409 from register");
        await Expect(other.Page.GetByText("already taken")).ToHaveCountAsync(1);
        await Expect(other.ErrorAlert).ToHaveCountAsync(0);
        await Expect(other.Page.GetByLabel("Username", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(other.Page.GetByLabel("Username", new() { Exact = true })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_form_level_error_is_said_in_the_banner_only()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.GotoAsync("/login");
        await tab.FillLoginAsync(username, "not-the-password-1");
        await Expect(tab.ErrorAlert).ToContainTextAsync("That username or password is not right.");
        await Expect(tab.Page.Locator(".field-error")).ToHaveCountAsync(0);

        // Missing fields are said at the fields, with no banner repeating them.
        await tab.Page.GetByLabel("Password", new() { Exact = true }).FillAsync("");
        await tab.Button("Log in").ClickAsync();
        await Expect(tab.Page.Locator(".field-error")).ToHaveTextAsync(new Regex("Enter your password"));
        await Expect(tab.ErrorAlert).ToHaveCountAsync(0);
    }

    private static async Task AssertSaidOnceAsync(DemoPage tab)
    {
        var main = tab.Page.Locator("main");
        await Expect(main.GetByText(new Regex("username is already taken", RegexOptions.IgnoreCase))).ToHaveCountAsync(1);
        await Expect(main.GetByText(new Regex("(email.*already (taken|exists)|already exists)", RegexOptions.IgnoreCase))).ToHaveCountAsync(1);
        await Expect(tab.ErrorAlert).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(tab.Page, "signup-taken");
    }
}

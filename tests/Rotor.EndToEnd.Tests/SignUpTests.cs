using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 1: sign up, verify the emailed code, log in, land on the dashboard.</summary>
public sealed class SignUpTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task Sign_up_verify_the_emailed_code_and_log_in_lands_on_the_dashboard()
    {
        var host = StartHost(new Dictionary<string, string?> { ["Rotor:RequireEmailVerification"] = "true" });
        var tab = await NewTabOnNewDeviceAsync(host);
        var username = "new" + Guid.NewGuid().ToString("N")[..10];
        var email = username + "@example.com";

        await tab.GotoAsync("/signup");
        await Expect(tab.Heading("Create an account")).ToBeVisibleAsync();
        await tab.Page.GetByLabel("Username", new() { Exact = true }).FillAsync(username);
        await tab.Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await tab.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(RotorTestHost.Password);
        await tab.Page.GetByLabel("Confirm password", new() { Exact = true }).FillAsync(RotorTestHost.Password);
        await Screenshots.SaveAsync(tab.Page, "signup");
        await tab.Button("Create account").ClickAsync();

        await Expect(tab.Heading("Verify your email")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByLabel("Email", new() { Exact = true })).ToHaveValueAsync(email);
        var code = await Mailbox.WaitForCodeAsync(host.MailDirectory, email);
        await Screenshots.SaveAsync(tab.Page, "verify");

        // Before verifying, the account cannot sign in.
        var other = await NewTabOnNewDeviceAsync(host);
        await other.GotoAsync("/login");
        await other.FillLoginAsync(username, RotorTestHost.Password);
        await Expect(other.ErrorAlert).ToContainTextAsync("verify your email address first");
        await Expect(other.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Enter your verification code" })).ToBeVisibleAsync();

        await tab.Page.GetByLabel("Verification code", new() { Exact = true }).FillAsync(code);
        await tab.Button("Verify").ClickAsync();

        // verify-otp starts a session like a sign-in; a server that only verifies sends the user to log in.
        await Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/(dashboard|login\\?verified=1)"));
        if (tab.Page.Url.Contains("/login", StringComparison.Ordinal))
        {
            await Expect(tab.StatusText("Email verified")).ToBeVisibleAsync();
            await tab.FillLoginAsync(username, RotorTestHost.Password);
        }

        await tab.ExpectDashboardAsync(username);

        // And the account now signs in with its password, on another device.
        await other.FillLoginAsync(username, RotorTestHost.Password);
        await other.ExpectDashboardAsync(username);
        await other.CallApiAsync();
    }
}

using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>Scenario 9: revoking a session from another device sends that device to /login at its next call.</summary>
public sealed class RevokeOtherDeviceTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task Revoking_a_session_from_another_browser_sends_that_device_to_login_at_its_next_call()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var laptop = await NewTabOnNewDeviceAsync(host);
        await laptop.LoginAsync(username, "?proactive=off");
        var phone = await NewTabOnNewDeviceAsync(host);
        await phone.LoginAsync(username);

        await phone.Page.GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
        await Expect(phone.Heading("Sessions")).ToBeVisibleAsync();
        var others = phone.Page.GetByRole(AriaRole.Region, new() { Name = "Other devices" });
        var signOut = others.GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        await Expect(signOut).ToHaveCountAsync(1);
        await Expect(others.GetByText("127.0.0.1")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(phone.Page, "sessions");

        await signOut.ClickAsync();
        await Expect(phone.StatusText("Signed out")).ToBeVisibleAsync();
        await Expect(phone.Page.GetByText("No other device is signed in.")).ToBeVisibleAsync();

        // The laptop has not noticed yet; its next call finds out and lands on /login, saying why.
        await laptop.ExpectDashboardAsync(username);
        await laptop.Button("Call the API").ClickAsync();
        await laptop.ExpectLoginPageAsync();
        await Expect(laptop.StatusText("This session was signed out")).ToBeVisibleAsync();

        // The phone carries on.
        await phone.Page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await phone.CallApiAsync();
    }
}

using System.Diagnostics;
using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>
/// Recent authentication: once the sign-in is older than Rotor:ReauthenticationWindow, signing out another device
/// asks "Confirm it's you"; the password lets the same click go through.
/// </summary>
public sealed class ReauthenticationTests(BrowserFixture browser) : EndToEndTest(browser)
{
    /// <summary>The smallest window the server accepts; the test waits it out on the real clock.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Signing_out_another_device_after_the_window_asks_for_the_password_then_ends_that_session()
    {
        var host = StartHost(new Dictionary<string, string?> { ["Rotor:ReauthenticationWindow"] = Window.ToString("c") });
        var username = await host.RegisterUserAsync();
        var phone = await NewTabOnNewDeviceAsync(host);
        await phone.LoginAsync(username);
        // The phone's sign-in (auth_time) happened before this point; from here the window is waited out.
        var sinceSignIn = Stopwatch.StartNew();
        var laptop = await NewTabOnNewDeviceAsync(host);
        await laptop.LoginAsync(username);
        var laptopSession = (await laptop.TokenResponsesAsync())[0].GetProperty("sessionId").GetString();
        Assert.False(string.IsNullOrEmpty(laptopSession));
        var revokePath = "/auth/sessions/" + Uri.EscapeDataString(laptopSession);

        await phone.Page.GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
        await Expect(phone.Heading("Sessions")).ToBeVisibleAsync();
        var others = phone.Page.GetByRole(AriaRole.Region, new() { Name = "Other devices" });
        var signOut = others.GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        await Expect(signOut).ToHaveCountAsync(1);

        // The only fixed wait: the real server's clock has to leave the phone's sign-in behind. auth_time is whole
        // seconds (rounded down), so a little over the window is enough. The phone keeps refreshing meanwhile, which
        // does not make its sign-in recent again.
        var remaining = Window + TimeSpan.FromSeconds(1.5) - sinceSignIn.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }

        var mark = phone.Mark();
        await signOut.ClickAsync();
        var dialog = phone.Page.GetByRole(AriaRole.Dialog, new() { Name = "Confirm it's you" });
        await Expect(dialog).ToBeVisibleAsync();
        Assert.Equal(1, phone.Responses("DELETE", revokePath, 403, mark));
        await Expect(dialog.GetByText("This change needs a recent sign-in.")).ToBeVisibleAsync();

        await dialog.GetByLabel("Password", new() { Exact = true }).FillAsync(RotorTestHost.Password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(phone.StatusText("Signed out")).ToBeVisibleAsync();
        await Expect(phone.Page.GetByText("No other device is signed in.")).ToBeVisibleAsync();
        await Expect(phone.ErrorAlert).ToHaveCountAsync(0);
        Assert.Equal(1, phone.Responses("POST", "/auth/reauthenticate", 200, mark));
        // The same click, retried once: refused, then done (not "no such session": the refusal ended nothing).
        Assert.Equal(2, phone.Requests("DELETE", revokePath, mark));
        Assert.Equal(1, phone.Responses("DELETE", revokePath, 204, mark));

        // The laptop finds out at its next refresh and lands on the sign-in page, saying why.
        await laptop.ExpectLoginPageAsync();
        await Expect(laptop.StatusText("This session was signed out")).ToBeVisibleAsync();

        // The phone carries on with its fresh sign-in.
        await phone.Page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await phone.CallApiAsync();
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>
/// The sessions list tells devices apart: this device first, the others last active first, each with a name a person
/// recognises (told apart by when it signed in when the names repeat), and the ones not used for five access-token
/// lifetimes (3 s here) marked idle, with a way to sign them all out.
/// </summary>
public sealed partial class SessionsListTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Devices_are_told_apart_last_active_first_and_idle_ones_are_marked_and_can_be_signed_out(int width)
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();

        // A device whose browser was closed: its cookie is gone, its session is never refreshed again.
        var gone = await NewDeviceAsync(host);
        var goneTab = await DemoPage.OpenAsync(gone);
        await goneTab.LoginAsync(username);
        await gone.CloseAsync();
        var goneAt = DateTimeOffset.UtcNow;

        // Another device that keeps refreshing (the tab stays open and visible), and this one.
        var busy = await NewTabOnNewDeviceAsync(host);
        await busy.LoginAsync(username);
        var tab = await NewTabOnNewDeviceAsync(host, width);
        await tab.LoginAsync(username);

        // Five lifetimes of 3 s without a refresh, and a little more; the busy tab refreshes every second or two.
        var idleAfter = goneAt.AddSeconds(16) - DateTimeOffset.UtcNow;
        if (idleAfter > TimeSpan.Zero)
        {
            await Task.Delay(idleAfter);
        }

        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
        await Expect(tab.Heading("Sessions")).ToBeVisibleAsync();
        var others = tab.Page.GetByRole(AriaRole.Region, new() { Name = "Other devices" });
        var rows = others.Locator("li.session");
        await Expect(rows).ToHaveCountAsync(2);

        // Last active first: the busy device, then the gone one, which is marked idle; the names differ.
        var names = await rows.Locator(".session-name").AllInnerTextsAsync();
        Assert.Equal(2, names.Distinct().Count());
        Assert.All(names, n => Assert.StartsWith("Headless Chrome on Linux", n, StringComparison.Ordinal));
        await Expect(rows.Nth(0).GetByText("Idle", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(rows.Nth(1).GetByText("Idle", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(rows.Nth(0).Locator("time")).ToHaveTextAsync(new Regex("just now"));
        await Expect(rows.Nth(1).Locator("time")).ToHaveTextAsync(new Regex("seconds ago"));
        await Expect(tab.Page.GetByRole(AriaRole.Region, new() { Name = "This device" }).Locator(".badge")).ToHaveTextAsync("This device");
        await Screenshots.SaveAsync(tab.Page, $"sessions-{width}");
        var overflow = await tab.Page.EvaluateAsync<double>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than the window.");

        await others.GetByRole(AriaRole.Button, new() { Name = "Sign out idle sessions (1)" }).ClickAsync();
        await Expect(tab.StatusText("Signed out 1 idle session.")).ToBeVisibleAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(others.GetByText("Idle", new() { Exact = true })).ToHaveCountAsync(0);

        // The busy device carries on.
        await busy.CallApiAsync();
    }
}

using System.Net.Http.Json;
using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>The admin page: an admin finds a user, ends a session, locks and unlocks the account; a non-admin never sees it.</summary>
public sealed class AdminPageTests(BrowserFixture browser) : EndToEndTest(browser)
{
    private const string AdminName = "opsadmin";

    [Fact]
    public async Task An_admin_finds_a_user_ends_their_session_and_locks_and_unlocks_the_account()
    {
        var host = StartHost(new Dictionary<string, string?> { ["Host:DemoAdmins:0"] = AdminName });
        await RegisterAsync(host, AdminName);
        var username = await host.RegisterUserAsync();
        var (_, refreshToken) = await host.SignInByApiAsync(username);

        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.LoginAsync(AdminName);
        var nav = tab.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await nav.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await Expect(tab.Heading("Admin")).ToBeVisibleAsync();

        await tab.Page.GetByLabel("Username or email").FillAsync(username[..6]);
        await tab.Button("Search").ClickAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = $"Manage {username}" }).ClickAsync();
        var panel = tab.Page.GetByRole(AriaRole.Region, new() { Name = username });
        await Expect(panel.GetByText("Active", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(panel.GetByText("127.0.0.1").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(tab.Page, "admin");

        // End the user's one session: their refresh token stops working at once.
        await panel.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Sign out (?!all)") }).ClickAsync();
        await Expect(panel.GetByText("No live session.")).ToBeVisibleAsync();
        using (var client = host.CreatePlainClient())
        using (var refresh = await client.PostAsJsonAsync("auth/refresh", new { refreshToken }))
        {
            Assert.Equal(401, (int)refresh.StatusCode);
        }

        await panel.GetByRole(AriaRole.Button, new() { Name = "Lock account" }).ClickAsync();
        await Expect(panel.GetByText("Locked until unlocked")).ToBeVisibleAsync();
        await Expect(panel.GetByRole(AriaRole.Cell, new() { Name = "Account locked by an administrator", Exact = false })).ToBeVisibleAsync();
        using (var client = host.CreatePlainClient())
        using (var login = await client.PostAsJsonAsync("auth/login", new { username, password = RotorTestHost.Password, mode = "native" }))
        {
            Assert.Equal(423, (int)login.StatusCode);
        }

        await panel.GetByRole(AriaRole.Button, new() { Name = "Unlock account" }).ClickAsync();
        await Expect(panel.GetByText("Active", new() { Exact = true })).ToBeVisibleAsync();
        await host.SignInByApiAsync(username);
    }

    [Fact]
    public async Task A_user_who_is_not_an_admin_sees_no_admin_link_and_no_admin_page()
    {
        var host = StartHost(new Dictionary<string, string?> { ["Host:DemoAdmins:0"] = AdminName });
        var username = await host.RegisterUserAsync();

        var tab = await NewTabOnNewDeviceAsync(host);
        await tab.LoginAsync(username);
        await tab.ExpectDashboardAsync(username);
        var nav = tab.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Security log" })).ToBeVisibleAsync();
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveCountAsync(0);

        await tab.GotoAsync("/admin");
        await Expect(tab.Heading("Admin")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByText("Your account is not an administrator.")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByLabel("Username or email")).ToHaveCountAsync(0);
    }

    private static async Task RegisterAsync(RotorTestHost host, string name)
    {
        using var client = host.CreatePlainClient();
        using var response = await client.PostAsJsonAsync("auth/register", new { username = name, email = name + "@example.com", password = RotorTestHost.Password });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}

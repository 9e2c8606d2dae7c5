using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>
/// Two-step sign-in as a user meets it: turn it on from the Profile page with an authenticator key, then sign in
/// with the password and a second step (a wrong code first, then a recovery code).
/// </summary>
public sealed partial class TwoStepSignInTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Fact]
    public async Task Enrolling_on_the_profile_page_makes_the_next_sign_in_ask_for_a_second_step_and_a_recovery_code_completes_it()
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var device = await NewDeviceAsync(host);
        var tab = await DemoPage.OpenAsync(device);
        await tab.LoginAsync(username);

        // Profile → Two-step sign-in → set up: the page shows a QR code and the key to type by hand.
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Profile" }).ClickAsync();
        await Expect(tab.Heading("Profile")).ToBeVisibleAsync();
        var twoStep = tab.Page.GetByRole(AriaRole.Region, new() { Name = "Two-step sign-in" });
        await Expect(twoStep.GetByText("Off.", new() { Exact = true })).ToBeVisibleAsync();
        await twoStep.GetByRole(AriaRole.Button, new() { Name = "Set up two-step sign-in" }).ClickAsync();
        await Expect(twoStep.GetByRole(AriaRole.Img, new() { Name = "QR code to add this account to an authenticator app" })).ToBeVisibleAsync();
        var keyText = twoStep.GetByText(GroupedKey());
        await Expect(keyText).ToBeVisibleAsync();
        var key = (await keyText.TextContentAsync())!.Trim();
        var uri = await twoStep.GetByText(new Regex("^otpauth://totp/")).TextContentAsync();
        Assert.Contains("secret=" + key.Replace(" ", "", StringComparison.Ordinal), uri, StringComparison.OrdinalIgnoreCase);

        // The authenticator app (this test) makes the current code from the key; confirming turns it on.
        await twoStep.GetByLabel("Code from your app").FillAsync(new Totp(key).Next());
        await twoStep.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        await Expect(twoStep.GetByRole(AriaRole.Status).Filter(new() { HasText = "Two-step sign-in is on." })).ToBeVisibleAsync();
        await Expect(twoStep.GetByText("they are shown only once")).ToBeVisibleAsync();
        var codeItems = twoStep.GetByRole(AriaRole.Listitem);
        await Expect(codeItems).ToHaveCountAsync(10);
        var recoveryCodes = (await codeItems.AllTextContentsAsync()).Select(c => c.Trim()).ToList();
        Assert.All(recoveryCodes, c => Assert.Matches(new Regex("^[A-Z0-9-]{6,}$"), c));
        Assert.Equal(10, recoveryCodes.Distinct(StringComparer.Ordinal).Count());
        await twoStep.GetByRole(AriaRole.Button, new() { Name = "I have saved them" }).ClickAsync();
        await Expect(twoStep.GetByText("You have 10 unused recovery codes left.")).ToBeVisibleAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0); // a fresh sign-in needs no prompt

        await tab.Button("Log out").ClickAsync();
        await tab.ExpectLoginPageAsync();
        Assert.DoesNotContain(await device.CookiesAsync(), c => c.Name.Contains("rotor_refresh", StringComparison.Ordinal));

        // The right password alone is no longer enough: 401 mfa_required with a challenge, and no cookie.
        var mark = tab.Mark();
        var firstStep = await tab.Page.RunAndWaitForResponseAsync(
            () => tab.FillLoginAsync(username, RotorTestHost.Password),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/auth/login");
        Assert.Equal(401, firstStep.Status);
        var problem = JsonDocument.Parse(await firstStep.TextAsync()).RootElement;
        Assert.Equal("mfa_required", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("challenge").GetString()));
        Assert.DoesNotContain(await firstStep.HeadersArrayAsync(), h => h.Name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(await device.CookiesAsync());

        await Expect(tab.Heading("Two-step sign-in")).ToBeVisibleAsync();
        await Expect(tab.Page).ToHaveURLAsync(new Regex("/login(\\?.*)?$"));
        await Expect(tab.ErrorAlert).ToHaveCountAsync(0);

        // A wrong code: one clear error, and the same step stays, the field emptied for the next code.
        var codeField = tab.Page.GetByLabel("Authenticator code");
        await codeField.FillAsync(new Totp(key).Wrong());
        await tab.Button("Log in").ClickAsync();
        await Expect(tab.ErrorAlert).ToHaveCountAsync(1);
        await Expect(tab.ErrorAlert).ToHaveTextAsync(new Regex("^That code is not right\\."));
        await Expect(tab.Heading("Two-step sign-in")).ToBeVisibleAsync();
        await Expect(codeField).ToHaveValueAsync("");
        Assert.Equal(1, tab.Responses("POST", "/auth/login/mfa", 401, mark));

        // The code just used to enrol may not be used again within its window: the device is "lost", use a recovery code.
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Lost your device? Use a recovery code" }).ClickAsync();
        await tab.Page.GetByLabel("Recovery code").FillAsync(recoveryCodes[0]);
        await tab.Button("Log in").ClickAsync();
        await tab.ExpectDashboardAsync(username);
        Assert.Equal(1, tab.Responses("POST", "/auth/login/mfa", 200, mark));
        Assert.Equal(1, tab.Responses("POST", "/auth/login", 401, mark));
        Assert.Equal(0, tab.Responses("POST", "/auth/login", 200, mark));
        Assert.Contains(await device.CookiesAsync(), c => c.Name == "__Host-rotor_refresh" && c.HttpOnly);

        // Tokens live in memory only: nothing of them in web storage.
        var tokens = (await tab.TokenResponsesAsync()).Select(b => b.GetProperty("accessToken").GetString()!).ToList();
        Assert.NotEmpty(tokens);
        var storage = await tab.Page.EvaluateAsync<string[]>("""
            () => [localStorage, sessionStorage].flatMap(s => Object.keys(s).flatMap(k => [k, s.getItem(k) ?? '']))
            """);
        foreach (var item in storage)
        {
            Assert.DoesNotMatch(Jwt(), item);
            Assert.All(tokens, token => Assert.DoesNotContain(token, item, StringComparison.Ordinal));
        }

        // The recovery code is spent.
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Profile" }).ClickAsync();
        await Expect(twoStep.GetByText("You have 9 unused recovery codes left.")).ToBeVisibleAsync();
    }

    /// <summary>The key as the page shows it: base32 in groups of four.</summary>
    [GeneratedRegex("^\\s*[A-Z2-7]{4}( [A-Z2-7]{1,4})+\\s*$")]
    private static partial Regex GroupedKey();

    [GeneratedRegex(@"eyJ[\w-]+\.[\w-]+\.[\w-]+")]
    private static partial Regex Jwt();
}

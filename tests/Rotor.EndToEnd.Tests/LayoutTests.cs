using Microsoft.Playwright;
using Rotor.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests;

/// <summary>
/// The security log in words, its date column on one line, and the dashboard's result box clear of its buttons, at a
/// desktop (1280 px) and a phone (375 px) width. Boxes are measured in the page, not compared as pictures.
/// </summary>
public sealed class LayoutTests(BrowserFixture browser) : EndToEndTest(browser)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task The_security_log_speaks_words_and_keeps_each_date_on_one_line(int width)
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        // Events of several kinds: a failed attempt, a native sign-in, a sign-out everywhere, then this browser's sign-in.
        using (var script = host.CreatePlainClient())
        {
            using var failed = await script.PostAsync("auth/login", System.Net.Http.Json.JsonContent.Create(new { username, password = "not-the-password-1" }));
            Assert.Equal(401, (int)failed.StatusCode);
        }

        var (accessToken, _) = await host.SignInByApiAsync(username);
        using (var script = host.CreatePlainClient())
        using (var request = new HttpRequestMessage(HttpMethod.Post, "auth/logout-all"))
        {
            request.Headers.Authorization = new("Bearer", accessToken);
            using var response = await script.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode);
        }

        var tab = await NewTabOnNewDeviceAsync(host, width);
        await tab.LoginAsync(username);
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Security log" }).ClickAsync();
        await Expect(tab.Heading("Security log")).ToBeVisibleAsync();
        var table = tab.Page.Locator("table.events");
        await Expect(table.Locator("tbody tr").First).ToBeVisibleAsync();
        await Expect(table.GetByText("Signed out on all devices").First).ToBeVisibleAsync();
        await Expect(table.GetByText("Session ended: you signed out on all devices").First).ToBeVisibleAsync();
        await Expect(table.GetByText("Signed in: in a browser").First).ToBeVisibleAsync();
        await Expect(table.GetByText("Failed sign-in attempt").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(tab.Page, $"security-{width}");

        // No code left raw: no identifier_with_underscores in what the table shows.
        var text = await table.Locator("tbody").InnerTextAsync();
        Assert.DoesNotMatch(@"\b[a-z]+_[a-z_]+\b", text);

        // Every date is one line: an inline <time> that wraps has more than one client rectangle.
        var lines = await tab.Page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('table.events td.when time')].map(t => t.getClientRects().length)");
        Assert.NotEmpty(lines);
        Assert.All(lines, count => Assert.Equal(1, count));
        await AssertNoSidewaysScrollAsync(tab.Page);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task The_dashboards_result_box_does_not_touch_its_buttons(int width)
    {
        var host = StartHost();
        var username = await host.RegisterUserAsync();
        var tab = await NewTabOnNewDeviceAsync(host, width);
        await tab.LoginAsync(username);
        await tab.CallApiAsync();

        var gap = await tab.Page.EvaluateAsync<double>("""
            () => {
              const section = document.querySelector('section[aria-labelledby="api-title"]');
              const buttons = section.querySelector('.actions').getBoundingClientRect();
              const result = section.querySelector('.alert').getBoundingClientRect();
              return result.top - buttons.bottom;
            }
            """);
        Assert.True(gap >= 12, $"The result box is {gap} px below the buttons at {width} px; it should keep at least 12 px.");
        await Screenshots.SaveAsync(tab.Page, $"dashboard-{width}");
        await AssertNoSidewaysScrollAsync(tab.Page);
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<double>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than the window.");
    }
}

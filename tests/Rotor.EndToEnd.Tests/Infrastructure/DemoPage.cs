using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One browser tab on the demo app, with what went over its wire: every request and response, and every URL
/// the tab showed (client-side navigations included).
/// </summary>
public sealed partial class DemoPage
{
    private readonly ConcurrentQueue<WireEntry> _wire = new();
    private readonly ConcurrentQueue<string> _urls = new();

    private DemoPage(IPage page)
    {
        Page = page;
        page.Request += (_, request) => _wire.Enqueue(new WireEntry(request.Method, new Uri(request.Url).AbsolutePath, null, null));
        page.Response += (_, response) =>
        {
            var path = new Uri(response.Url).AbsolutePath;
            var entry = new WireEntry(response.Request.Method, path, response.Status, null);
            if (response.Request.Method == "POST" && path is "/auth/login" or "/auth/login/mfa" or "/auth/refresh" or "/auth/verify-otp" or "/auth/reauthenticate" && response.Status == 200)
            {
                // Kept to check that no token lands in web storage; the body is read off the event thread.
                entry = entry with { Body = response.TextAsync() };
            }

            _wire.Enqueue(entry);
        };
        page.FrameNavigated += (_, frame) =>
        {
            if (frame.ParentFrame is null)
            {
                _urls.Enqueue(new Uri(frame.Url).PathAndQuery);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Every URL (path and query) the tab has shown, in order.</summary>
    public IReadOnlyList<string> Urls => [.. _urls];

    /// <summary>A mark in the wire log: count what happened after it.</summary>
    public int Mark() => _wire.Count;

    /// <summary>Requests sent (not responses) with this method and path since <paramref name="mark"/>.</summary>
    public int Requests(string method, string path, int mark = 0) =>
        _wire.Skip(mark).Count(e => e.Status is null && e.Method == method && e.Path == path);

    public int RefreshRequests(int mark = 0) => Requests("POST", "/auth/refresh", mark);

    /// <summary>Responses with this method and path (and status, when given) since <paramref name="mark"/>.</summary>
    public int Responses(string method, string path, int? status = null, int mark = 0) =>
        _wire.Skip(mark).Count(e => e.Status is not null && e.Method == method && e.Path == path && (status is null || e.Status == status));

    /// <summary>The bodies of the successful sign-in (either step), reauthentication and refresh answers this tab received.</summary>
    public async Task<IReadOnlyList<JsonElement>> TokenResponsesAsync()
    {
        var bodies = new List<JsonElement>();
        foreach (var entry in _wire.Where(e => e.Body is not null))
        {
            bodies.Add(JsonDocument.Parse(await entry.Body!).RootElement.Clone());
        }

        return bodies;
    }

    public static async Task<DemoPage> OpenAsync(IBrowserContext context) => new(await context.NewPageAsync());

    public Task GotoAsync(string path) => Page.GotoAsync(path, new() { WaitUntil = WaitUntilState.DOMContentLoaded });

    public ILocator Heading(string name) => Page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 });

    public ILocator Button(string name, bool exact = true) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = exact });

    /// <summary>The form's error alert (role=alert with text).</summary>
    public ILocator ErrorAlert => Page.GetByRole(AriaRole.Alert).Filter(new() { HasTextRegex = new Regex(".+") });

    /// <summary>The notices (role=status with text).</summary>
    public ILocator StatusText(string text) => Page.GetByRole(AriaRole.Status).Filter(new() { HasText = text });

    public ILocator TokenRemaining => Page.GetByTestId("token-remaining");

    public ILocator RefreshLog => Page.GetByRole(AriaRole.Log, new() { Name = "Refresh activity" });

    /// <summary>Opens /login (with an optional query such as <c>?proactive=off</c>), signs in, and waits for the dashboard.</summary>
    public async Task LoginAsync(string username, string query = "", string password = RotorTestHost.Password)
    {
        await GotoAsync("/login" + query);
        await FillLoginAsync(username, password);
        await ExpectDashboardAsync(username);
    }

    public async Task FillLoginAsync(string username, string password)
    {
        await Expect(Heading("Log in")).ToBeVisibleAsync();
        await Page.GetByLabel("Username or email").FillAsync(username);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Button("Log in").ClickAsync();
    }

    public async Task ExpectDashboardAsync(string? username = null)
    {
        await Expect(Page).ToHaveURLAsync(DashboardUrl());
        await Expect(Heading("Dashboard")).ToBeVisibleAsync();
        if (username is not null)
        {
            await Expect(Page.GetByText($"Signed in as {username} ")).ToBeVisibleAsync();
        }
    }

    public async Task ExpectLoginPageAsync()
    {
        await Expect(Page).ToHaveURLAsync(LoginUrl());
        await Expect(Heading("Log in")).ToBeVisibleAsync();
    }

    /// <summary>Waits until the dashboard says the access token has expired (by the client's own measure).</summary>
    public Task WaitForTokenExpiryAsync() => Expect(TokenRemaining).ToHaveTextAsync(new Regex("^Expired"));

    /// <summary>Clicks "Call the API" and waits for the server time.</summary>
    public async Task CallApiAsync()
    {
        await Button("Call the API").ClickAsync();
        await Expect(StatusText("Server time:")).ToBeVisibleAsync();
        // The success notice of the previous call stays until this one answers; wait for the buttons to free up.
        await Expect(Button("Call the API")).ToBeEnabledAsync();
    }

    /// <summary>Whether the tab has shown /login since the <paramref name="urlMark"/>-th URL (see <see cref="Urls"/>).</summary>
    public bool HasShownLoginSince(int urlMark) => Urls.Skip(urlMark).Any(u => u.StartsWith("/login", StringComparison.Ordinal));

    /// <summary>Waits, bounded, until <paramref name="condition"/> holds; for what the browser cannot show (wire counts).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, float timeoutMs = BrowserFixture.TimeoutMs)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeoutMs / 1000} s waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    [GeneratedRegex("/dashboard(\\?.*)?$")]
    private static partial Regex DashboardUrl();

    [GeneratedRegex("/login(\\?.*)?$")]
    private static partial Regex LoginUrl();

    private sealed record WireEntry(string Method, string Path, int? Status, Task<string>? Body);
}

using Microsoft.Playwright;

namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Base of the browser tests: starts hosts and browser contexts for one test and closes them after it, keeping a
/// trace-free screenshot of every open tab when the test fails.
/// </summary>
[Collection(EndToEndGroup.Name)]
public abstract class EndToEndTest(BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<RotorTestHost> _hosts = [];
    private readonly List<IBrowserContext> _contexts = [];

    protected BrowserFixture Browser { get; } = browser;

    protected RotorTestHost StartHost(IDictionary<string, string?>? settings = null)
    {
        var host = RotorTestHost.Start(settings);
        _hosts.Add(host);
        return host;
    }

    /// <summary>A new device: its own cookie jar and storage; a screen <paramref name="width"/> px wide.</summary>
    protected async Task<IBrowserContext> NewDeviceAsync(RotorTestHost host, int width = 1000)
    {
        var context = await Browser.NewContextAsync(host, width);
        _contexts.Add(context);
        return context;
    }

    /// <summary>A new device with one tab open.</summary>
    protected async Task<DemoPage> NewTabOnNewDeviceAsync(RotorTestHost host, int width = 1000) => await DemoPage.OpenAsync(await NewDeviceAsync(host, width));

    /// <summary>
    /// One device with two tabs: the first signed in as <paramref name="username"/>, the second opened afterwards on
    /// <paramref name="path"/> (signed in through the shared cookie) and showing the heading <paramref name="heading"/>.
    /// </summary>
    protected async Task<(IBrowserContext Device, DemoPage First, DemoPage Second)> TwoTabsAsync(RotorTestHost host, string username, string path, string heading)
    {
        var device = await NewDeviceAsync(host);
        var first = await DemoPage.OpenAsync(device);
        await first.LoginAsync(username);
        var second = await DemoPage.OpenAsync(device);
        await second.GotoAsync(path);
        await Microsoft.Playwright.Assertions.Expect(second.Heading(heading)).ToBeVisibleAsync();
        return (device, first, second);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }
}

using Microsoft.Playwright;

namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One Playwright driver and one headless Debian Chromium for the whole run; each test opens its own browser
/// contexts (separate cookie jars, as separate devices are).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Every wait in these tests is bounded by this.</summary>
    public const float TimeoutMs = 15_000;

    /// <summary>Where Debian installs Chromium; override with ROTOR_E2E_CHROMIUM.</summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("ROTOR_E2E_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is not at {ChromiumPath}. Run scripts/install-test-deps.sh (apt-get install chromium), or set ROTOR_E2E_CHROMIUM.");
        }

        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 60_000,
            Args =
            [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        });
    }

    /// <summary>A new context (a separate device: its own cookies and storage) on <paramref name="host"/>, 1000 px wide unless said.</summary>
    public async Task<IBrowserContext> NewContextAsync(RotorTestHost host, int width = 1000)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = host.Address.ToString(),
            ViewportSize = new() { Width = width, Height = 800 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

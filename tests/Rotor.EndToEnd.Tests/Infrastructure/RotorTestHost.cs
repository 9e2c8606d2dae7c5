using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real Rotor host (the demo app at <c>/</c> included) on Kestrel at 127.0.0.1 on a free port, with its own
/// SQLite file, key folder and mail pickup folder, a 3-second access token and a 2-second rotation grace period.
/// </summary>
public sealed class RotorTestHost : WebApplicationFactory<Program>
{
    public const string Password = "Correct-Horse-9-battery!";

    private readonly string _directory;
    private readonly Dictionary<string, string?> _settings;

    private RotorTestHost(IDictionary<string, string?>? overrides)
    {
        _directory = Path.Combine(Path.GetTempPath(), "rotor-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        MailDirectory = Path.Combine(_directory, "mail");
        Directory.CreateDirectory(MailDirectory);
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Rotor"] = $"Data Source={Path.Combine(_directory, "rotor.db")};Default Timeout=5",
            ["Rotor:KeyDirectory"] = Path.Combine(_directory, "keys"),
            ["Rotor:Email:PickupDirectory"] = MailDirectory,
            ["Rotor:AccessTokenLifetime"] = "00:00:03",
            ["Rotor:RotationGracePeriod"] = "00:00:02",
            // Expiry is the point of these tests: no tolerance beyond the token's own lifetime.
            ["Rotor:ClockSkew"] = "00:00:00",
            // Chromium treats http://127.0.0.1 as a secure context and keeps Secure and __Host- cookies from it,
            // so the cookie stays as it ships (__Host-rotor_refresh); RefreshCookieTests checks the browser holds it.
            ["Rotor:RefreshCookie:Secure"] = "true",
            ["Rotor:RequireEmailVerification"] = "false",
            // Every test signs in and checks availability from one address; the limits are not what is tested here.
            ["Rotor:RateLimits:Login:PerAddress"] = "1000",
            ["Rotor:RateLimits:Login:PerAccount"] = "1000",
            ["Rotor:RateLimits:Register:PerAddress"] = "1000",
            ["Rotor:RateLimits:Availability:PerAddress"] = "1000",
            ["Rotor:RateLimits:VerifyOtp:PerAddress"] = "1000",
            ["Rotor:RateLimits:ResendOtp:PerAddress"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
            // Program.cs listens on :5080 unless urls is set; port 0 lets Kestrel pick a free one.
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>The server's address, http://127.0.0.1:port/.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The pickup folder the server writes each email to, one .eml file per message.</summary>
    public string MailDirectory { get; }

    public RefreshSwitch Refresh { get; } = new();

    /// <summary>Starts a host. Override any setting (Rotor:*, ConnectionStrings:*, ...) with <paramref name="settings"/>.</summary>
    public static RotorTestHost Start(IDictionary<string, string?>? settings = null)
    {
        var host = new RotorTestHost(settings);
        host.UseKestrel(0);
        host.StartServer();
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        host.Address = new Uri(address.TrimEnd('/') + "/");
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Development");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(Refresh);
            services.AddSingleton<IStartupFilter, RefreshSwitchStartupFilter>();
        });
    }

    /// <summary>A plain HTTP client with no cookies, as a script or another device would be.</summary>
    public HttpClient CreatePlainClient() => new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = Address };

    /// <summary>Registers a user through the API (no browser) and returns its username; its email is username@example.com.</summary>
    public async Task<string> RegisterUserAsync()
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..12];
        using var client = CreatePlainClient();
        using var response = await client.PostAsJsonAsync("auth/register", new { username = name, email = name + "@example.com", password = Password });
        Assert.True(response.IsSuccessStatusCode, $"register answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return name;
    }

    /// <summary>Signs a user in through the API in body mode and returns the access and refresh tokens.</summary>
    public async Task<(string AccessToken, string RefreshToken)> SignInByApiAsync(string username)
    {
        using var client = CreatePlainClient();
        using var response = await client.PostAsJsonAsync("auth/login", new { username, password = Password, mode = "native" });
        Assert.True(response.IsSuccessStatusCode, $"login answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return (body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold the file a moment longer; the temp folder is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Rotor.Client.Tests.Infrastructure;

/// <summary>
/// The real Rotor host on Kestrel at 127.0.0.1 with its own SQLite file and key folder, one per test, with a
/// <see cref="ServerProbe"/> in front of its pipeline.
/// </summary>
public sealed class RotorServer : IAsyncDisposable
{
    public const string Password = "Correct-Horse-9-battery!";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly string _directory;

    private RotorServer(WebApplicationFactory<Program> factory, string directory, Uri address, ServerProbe probe)
    {
        _factory = factory;
        _directory = directory;
        Address = address;
        Probe = probe;
    }

    public Uri Address { get; }

    public ServerProbe Probe { get; }

    /// <summary>Starts a server. Default access-token lifetime: 10 minutes, clock skew zero; override any Rotor:* key.</summary>
    public static RotorServer Start(IDictionary<string, string?>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rotor-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Rotor"] = $"Data Source={Path.Combine(directory, "rotor.db")}",
            ["Rotor:KeyDirectory"] = Path.Combine(directory, "keys"),
            ["Rotor:AccessTokenLifetime"] = "00:10:00",
            ["Rotor:ClockSkew"] = "00:00:00",
            ["Rotor:RefreshCookie:Secure"] = "false",
            // The Development settings turn email verification on for the demo; these tests sign in straight after registering.
            ["Rotor:RequireEmailVerification"] = "false",
            // The host listens on :5080 unless urls is set; port 0 lets Kestrel pick a free one.
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var probe = new ServerProbe();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in values)
            {
                builder.UseSetting(key, value);
            }

            builder.UseEnvironment("Development");
            builder.ConfigureServices(services =>
            {
                services.AddSingleton(probe);
                services.AddSingleton<IStartupFilter, ServerProbeStartupFilter>();
            });
        });
        factory.UseKestrel(0);
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        return new RotorServer(factory, directory, address, probe);
    }

    /// <summary>A plain client with no session, as another device or a raw caller.</summary>
    public HttpClient CreatePlainClient() => new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = Address };

    /// <summary>Registers a fresh user and returns its name.</summary>
    public async Task<string> RegisterUserAsync()
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..12];
        using var client = CreatePlainClient();
        using var response = await client.PostAsJsonAsync("auth/register", new { username = name, email = name + "@example.com", password = Password });
        Assert.True(response.IsSuccessStatusCode, $"register answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
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

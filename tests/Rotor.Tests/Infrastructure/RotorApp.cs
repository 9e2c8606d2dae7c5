using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Rotor.Tests.Infrastructure;

/// <summary>
/// A real Rotor host (the Rotor.Host program) on its own SQLite file and key folder in a temporary directory,
/// with a fake clock. Clients talk HTTPS to it so Secure cookies behave as in a browser.
/// </summary>
public sealed class RotorApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public RotorApp(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "rotor-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        _services = services;
    }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "rotor.db");

    public string ConnectionString => $"Data Source={DatabasePath};Default Timeout=2";

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public RotorClient Client(bool handleCookies = false) =>
        new(CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = handleCookies, AllowAutoRedirect = false }), this);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Rotor", ConnectionString);
        builder.UseSetting("Rotor:KeyDirectory", Path.Combine(Directory, "keys"));
        builder.UseSetting("Host:DemoAppPath", Path.Combine(Directory, "no-demo"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

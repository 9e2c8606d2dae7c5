using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Rotor.Tests.Infrastructure;

/// <summary>
/// A real Rotor host (the Rotor.Host program) on its own database (a SQLite file in a temporary directory, or on
/// PostgreSQL a database of its own: see <see cref="TestDatabase"/>) and key folder, with a fake clock. Clients talk
/// HTTPS to it so Secure cookies behave as in a browser.
/// </summary>
public sealed class RotorApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private bool _released;

    public RotorApp(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "rotor-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        _services = services;
        // A test that names its own PostgreSQL database (another server) does not take one on the shared server.
        _released = OwnConnectionString is not null;
        if (TestDatabase.IsPostgreSql && !_released)
        {
            TestDatabase.Acquire(Directory);
        }
    }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "rotor.db");

    public string ConnectionString => TestDatabase.IsPostgreSql
        ? OwnConnectionString ?? TestDatabase.PostgreSqlConnectionString(Directory)
        : $"Data Source={DatabasePath};Default Timeout=2";

    /// <summary>The PostgreSQL connection string the test's settings give the host, if any (see <see cref="OutageCluster"/>).</summary>
    private string? OwnConnectionString =>
        TestDatabase.IsPostgreSql && _settings.TryGetValue("ConnectionStrings:Rotor", out var own) && !string.IsNullOrEmpty(own) ? own : null;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public RotorClient Client(bool handleCookies = false) =>
        new(CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = handleCookies, AllowAutoRedirect = false }), this);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Rotor:Database", TestDatabase.Provider);
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
        if (TestDatabase.IsPostgreSql && !_released)
        {
            _released = true;
            TestDatabase.Release(Directory);
        }

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

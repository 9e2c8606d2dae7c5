using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Host.Data;
using Rotor.Sessions;

namespace Rotor.Benchmarks;

/// <summary>
/// The whole refresh decision in process, on a real SQLite file in WAL mode: parse and authenticate the
/// token, rotate the session with one compare-and-swap statement, sign a new access token. No HTTP.
/// </summary>
[MemoryDiagnoser]
public class RefreshPathBenchmarks : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rotor-bench-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider _services = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContextPool<RotorDbContext, SqliteRotorDbContext>(o => o.UseRotorSqlite($"Data Source={Path.Combine(_directory, "rotor.db")}"));
        services.AddRotor<IdentityUser, RotorDbContext>(o => o.KeyDirectory = Path.Combine(_directory, "keys")).AddRotorSqlite();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        _services = services.BuildServiceProvider();
        DatabaseSetup.MigrateAsync(_services).GetAwaiter().GetResult();

        using var scope = _services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = "bench", Email = "bench@example.com" };
        users.CreateAsync(user, "correct horse battery").GetAwaiter().GetResult();
        var sessions = scope.ServiceProvider.GetRequiredService<SessionService>();
        _token = sessions.StartAsync(new RotorUserInfo(user.Id, user.UserName, user.Email), "native", default, null, default).GetAwaiter().GetResult().RefreshToken;
    }

    [Benchmark]
    public async Task<string> Refresh()
    {
        await using var scope = _services.CreateAsyncScope();
        var sessions = scope.ServiceProvider.GetRequiredService<SessionService>();
        var result = await sessions.RefreshAsync(new RefreshAttempt(_token, "native", default), default);
        _token = result.TryGetValue(out var tokens, out var error) ? tokens.RefreshToken : throw new InvalidOperationException(error.Code);
        return _token;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}

using Microsoft.EntityFrameworkCore;
using Rotor.Storage;

namespace Rotor.Host.Data;

/// <summary>
/// Chooses the database from configuration (<c>Rotor:Database</c> = <c>Sqlite</c>, the default, or <c>PostgreSql</c>;
/// <c>ConnectionStrings:Rotor</c>), creates it on first start and brings it up to date with that provider's migrations.
/// </summary>
public static class DatabaseSetup
{
    /// <summary>The configuration key that names the provider.</summary>
    public const string ProviderKey = "Rotor:Database";

    /// <summary>The SQLite connection string used when <c>ConnectionStrings:Rotor</c> is not set.</summary>
    public const string DefaultConnectionString = "Data Source=data/rotor.db;Default Timeout=5";

    /// <summary>Registers <see cref="RotorDbContext"/> on the configured provider and the matching Rotor provider package.</summary>
    public static IServiceCollection AddRotorDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration[ProviderKey];
        var connectionString = configuration.GetConnectionString("Rotor");
        if (string.IsNullOrWhiteSpace(provider) || provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var sqlite = string.IsNullOrWhiteSpace(connectionString) ? DefaultConnectionString : connectionString;
            services.AddDbContextPool<RotorDbContext, SqliteRotorDbContext>(options => options.UseRotorSqlite(sqlite).AddRotorAccountChanges());
            return services.AddRotorSqlite();
        }

        if (provider.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase) || provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"{ProviderKey} is PostgreSql but ConnectionStrings:Rotor is not set: set it to an Npgsql connection string, " +
                    "e.g. \"Host=127.0.0.1;Port=5432;Database=rotor;Username=rotor;Password=…\" (environment: ConnectionStrings__Rotor).");
            }

            services.AddDbContextPool<RotorDbContext, PostgreSqlRotorDbContext>(options => options.UseNpgsql(connectionString).AddRotorAccountChanges());
            return services.AddRotorPostgreSql();
        }

        throw new InvalidOperationException($"{ProviderKey} is \"{provider}\": set it to Sqlite (the default) or PostgreSql.");
    }

    /// <summary>Applies the provider's migrations (creating the database when the server allows it) and its start-up settings.</summary>
    public static async Task MigrateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RotorDbContext>();
        await db.Database.MigrateAsync();
        foreach (var provider in scope.ServiceProvider.GetServices<IRotorDatabaseProvider>())
        {
            await provider.PrepareAsync(db, CancellationToken.None);
        }
    }
}

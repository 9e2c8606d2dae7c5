using Microsoft.EntityFrameworkCore;
using Rotor.Storage;

namespace Rotor.Host.Data;

/// <summary>Creates the database on first start and brings it up to date with the migrations.</summary>
public static class DatabaseSetup
{
    /// <summary>The connection string used when <c>ConnectionStrings:Rotor</c> is not set.</summary>
    public const string DefaultConnectionString = "Data Source=data/rotor.db;Default Timeout=5";

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

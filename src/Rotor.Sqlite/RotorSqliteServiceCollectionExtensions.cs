using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rotor.Sqlite;
using Rotor.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs Rotor on SQLite (package Rotor.Sqlite).</summary>
public static class RotorSqliteServiceCollectionExtensions
{
    /// <summary>
    /// Tells Rotor its database is SQLite: this process queues its writes (SQLite has one writer at a time) and
    /// concurrent refresh rotations are committed together on a dedicated connection (group commit). Call it
    /// beside <c>AddRotor&lt;TUser, TContext&gt;()</c>, in either order, and configure the context with
    /// <c>options.UseRotorSqlite(connectionString)</c>.
    /// </summary>
    public static IServiceCollection AddRotorSqlite(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<IRotorDatabaseProvider>();
        services.AddSingleton<IRotorDatabaseProvider, SqliteRotorDatabaseProvider>();
        services.TryAddSingleton<SqliteRotationBatcher>();
        services.Replace(ServiceDescriptor.Singleton<IRotationExecutor>(sp => sp.GetRequiredService<SqliteRotationBatcher>()));
        return services;
    }
}

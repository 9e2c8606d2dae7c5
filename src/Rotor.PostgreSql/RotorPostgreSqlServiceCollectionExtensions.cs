using Microsoft.Extensions.DependencyInjection.Extensions;
using Rotor.PostgreSql;
using Rotor.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs Rotor on PostgreSQL (package Rotor.PostgreSql).</summary>
public static class RotorPostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Tells Rotor its database is PostgreSQL: writes go straight to the database from every request (no
    /// in-process queue) and each refresh is an <c>UPDATE … RETURNING</c> compare-and-swap; refreshes that arrive
    /// together are sent as one statement (one commit for many rotations), and any number of instances can share
    /// the database. Call it beside <c>AddRotor&lt;TUser, TContext&gt;()</c>, in either order,
    /// and configure the context with Npgsql's <c>options.UseNpgsql(connectionString)</c>.
    /// </summary>
    public static IServiceCollection AddRotorPostgreSql(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<IRotorDatabaseProvider>();
        services.AddSingleton<IRotorDatabaseProvider, PostgreSqlRotorDatabaseProvider>();
        services.TryAddSingleton<PostgreSqlRotationBatcher>();
        services.Replace(ServiceDescriptor.Singleton<IRotationExecutor>(sp => sp.GetRequiredService<PostgreSqlRotationBatcher>()));
        return services;
    }
}

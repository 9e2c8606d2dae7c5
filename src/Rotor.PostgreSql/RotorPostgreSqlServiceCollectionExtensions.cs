using Microsoft.Extensions.DependencyInjection.Extensions;
using Rotor.PostgreSql;
using Rotor.Sessions;
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
    /// A session revoked on any instance stops its access tokens on every instance as soon as the revocation commits:
    /// a trigger (installed by <see cref="IRotorDatabaseProvider.PrepareAsync"/> after the migrations) notifies, and each
    /// instance listens on one dedicated connection, catching up by the revocation log's sequence after reconnecting.
    /// The connection string must reach PostgreSQL itself for that connection (a transaction-pooling PgBouncer cannot LISTEN).
    /// </summary>
    public static IServiceCollection AddRotorPostgreSql(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.RemoveAll<IRotorDatabaseProvider>();
        services.AddSingleton<IRotorDatabaseProvider, PostgreSqlRotorDatabaseProvider>();
        services.TryAddSingleton<PostgreSqlRotationBatcher>();
        services.Replace(ServiceDescriptor.Singleton<IRotationExecutor>(sp => sp.GetRequiredService<PostgreSqlRotationBatcher>()));
        if (!services.Any(d => d.ServiceType == typeof(PostgreSqlRevocationListener)))
        {
            services.AddSingleton<PostgreSqlRevocationListener>();
            services.AddSingleton<IRevocationListener>(sp => sp.GetRequiredService<PostgreSqlRevocationListener>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgreSqlRevocationListener>());
        }

        return services;
    }
}

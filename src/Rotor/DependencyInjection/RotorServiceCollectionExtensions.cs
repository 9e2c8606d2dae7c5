using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rotor;
using Rotor.Accounts;
using Rotor.Admin;
using Rotor.Diagnostics;
using Rotor.Dpop;
using Rotor.Email;
using Rotor.Http;
using Rotor.RateLimiting;
using Rotor.Security;
using Rotor.Sessions;
using Rotor.Storage;
using Rotor.Tokens;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Rotor to an ASP.NET Core app.</summary>
public static class RotorServiceCollectionExtensions
{
    /// <summary>
    /// Adds Rotor on ASP.NET Core Identity's user store for <typeparamref name="TUser"/>, keeping Rotor's tables
    /// in <typeparamref name="TContext"/> (whose <c>OnModelCreating</c> calls <c>modelBuilder.UseRotor&lt;TUser&gt;()</c>).
    /// Options bind from the <c>Rotor</c> configuration section, then <paramref name="configure"/> runs; they are
    /// validated at start-up. Registers the <c>Rotor</c> bearer scheme (the default scheme when the app has none)
    /// and authorization policy, and Identity's core services when the app has not added them.
    /// </summary>
    public static IServiceCollection AddRotor<TUser, TContext>(this IServiceCollection services, Action<RotorOptions>? configure = null)
        where TUser : IdentityUser, new()
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<RotorOptions>().BindConfiguration(RotorOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RotorOptions>, RotorOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RotorMetrics>();

        if (!services.Any(d => d.ServiceType == typeof(UserManager<TUser>)))
        {
            services.AddIdentityCore<TUser>().AddEntityFrameworkStores<TContext>();
        }

        services.Replace(ServiceDescriptor.Scoped<ILookupNormalizer, RotorLookupNormalizer>());
        services.Configure<IdentityOptions>(identity =>
        {
            identity.User.RequireUniqueEmail = true;
            identity.User.AllowedUserNameCharacters = ""; // Rotor's own rules, which admit non-Latin letters.
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequiredUniqueChars = 1;
            identity.Password.RequiredLength = AccountRules.MinPasswordLength;
            identity.Lockout.AllowedForNewUsers = true;
        });

        services.TryAddSingleton<IRotorKeyStore>(sp => sp.GetRequiredService<IOptions<RotorOptions>>().Value.Keys.Store == RotorKeyStorage.Database
            ? ActivatorUtilities.CreateInstance<DatabaseKeyStore<TContext>>(sp)
            : ActivatorUtilities.CreateInstance<FileKeyStore>(sp));
        services.TryAddSingleton<RotorKeyRing>();
        services.TryAddSingleton<RefreshTokenCodec>();
        services.TryAddSingleton<AccessTokenIssuer>();
        services.TryAddSingleton<AccessTokenValidator>();
        services.TryAddSingleton<SessionRevocationList>();
        services.TryAddSingleton<RevocationStatus>();
        services.TryAddScoped(sp => new RotorDbContextAccessor(sp.GetRequiredService<TContext>()));
        services.TryAddSingleton<StoreWriteGate>();
        // A provider package (AddRotorSqlite, AddRotorPostgreSql) replaces these; alone they suit any relational provider.
        services.TryAddSingleton<IRotationExecutor, DirectRotationExecutor>();
        services.TryAddSingleton<OriginPolicy>();
        services.TryAddSingleton<DpopNonces>();
        services.TryAddSingleton<DpopProofValidator>();
        services.TryAddScoped<IDpopReplayCache, DatabaseDpopReplayCache<TContext>>();
        services.TryAddSingleton<RefreshCookie>();
        services.TryAddSingleton<AccountLocks>();
        services.TryAddScoped<ISignInFailureStore, EfSignInFailureStore<TContext>>();
        services.TryAddScoped<SignInThrottle>();
        services.TryAddScoped<PasswordGuard<TUser>>();
        services.TryAddScoped<IRotorStore, EfRotorStore<TContext, TUser>>();
        services.TryAddScoped<IRotorAccounts, RotorAccounts<TUser>>();
        services.TryAddScoped<SessionService>();
        services.AddHostedService<SessionMaintenanceService>();
        services.AddHostedService<RotorKeyWarmup>();
        services.TryAddSingleton<RotorWarmupState>();
        services.AddHostedService<RotorWarmup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RotorOptions>, RotorWarmupValidator>());

        // Account lifecycle: one-time tokens, mail (pickup directory unless an SMTP host is set), rate limits.
        services.TryAddScoped<IAccountTokenStore, EfAccountTokenStore<TContext>>();
        services.TryAddScoped<IStoreUnitOfWork, EfStoreUnitOfWork<TContext>>();
        services.TryAddSingleton<AccountSecrets>();
        services.TryAddScoped<IRotorAccountLifecycle, RotorAccountLifecycle<TUser>>();
        services.TryAddScoped<IAccountMailComposer, AccountMailComposer<TUser>>();
        services.TryAddSingleton<RotorMailQueue>();
        services.TryAddSingleton<IRotorEmailSender>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<RotorOptions>>().Value.Email.Host)
            ? ActivatorUtilities.CreateInstance<PickupDirectoryEmailSender>(sp)
            : ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp));
        services.AddHostedService<RotorMailWorker>();
        services.AddRotorMfa<TUser, TContext>();
        services.TryAddSingleton<MemoryRateLimitCounter.Partitions>();
        services.TryAddSingleton<RateLimitRefusals>();
        services.TryAddScoped<IRateLimitCounter>(sp => sp.GetRequiredService<IOptions<RotorOptions>>().Value.RateLimits.Store == RotorRateLimitStore.Memory
            ? new MemoryRateLimitCounter(sp.GetRequiredService<MemoryRateLimitCounter.Partitions>())
            : ActivatorUtilities.CreateInstance<DatabaseRateLimitCounter<TContext>>(sp));
        services.TryAddScoped<RotorRateLimiter>();
        // Rotor counts its limits itself now (RotorRateLimiter); kept so apps that call app.UseRateLimiter() still start.
        services.AddRateLimiter(_ => { });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<RotorOptions>>((forwarded, rotor) => RotorForwardedHeaders.Apply(forwarded, rotor.Value.ForwardedHeaders));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RotorOptions>, RotorForwardedHeadersValidator>());

        services.AddAuthentication()
            .AddScheme<RotorBearerOptions, RotorBearerHandler>(RotorAuthenticationDefaults.AuthenticationScheme, null);
        services.PostConfigure<AuthenticationOptions>(auth => auth.DefaultScheme ??= RotorAuthenticationDefaults.AuthenticationScheme);
        services.AddAuthorizationBuilder()
            .AddPolicy(RotorAuthenticationDefaults.AuthorizationPolicy, policy => policy
                .AddAuthenticationSchemes(RotorAuthenticationDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(RotorAuthenticationDefaults.AdminPolicy, policy => policy
                .AddAuthenticationSchemes(RotorAuthenticationDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new RotorAdminRequirement()));
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IAuthorizationHandler, RotorAdminRoleHandler<TUser>>());
        services.TryAddScoped<IRotorAdmin, RotorAdmin<TUser>>();

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<OriginPolicy>((cors, origins) =>
            cors.AddPolicy(RotorAuthenticationDefaults.CorsPolicy, policy => policy
                .SetIsOriginAllowed(origins.IsAllowedCrossOrigin)
                .AllowCredentials()
                .WithMethods("GET", "POST", "DELETE")
                .WithHeaders("Content-Type", "Authorization", "X-Requested-With", DpopProofValidator.HeaderName)
                .WithExposedHeaders("Retry-After", "WWW-Authenticate", DpopProofValidator.NonceHeaderName)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        services.AddHealthChecks()
            .AddCheck<RotorDatabaseHealthCheck>(RotorHealthChecks.DatabaseCheckName, tags: [RotorHealthChecks.ReadyTag])
            .AddCheck<RevocationHealthCheck>(RevocationHealthCheck.Name, tags: [RotorHealthChecks.ReadyTag])
            .AddCheck<RotorWarmupHealthCheck>(RotorWarmupHealthCheck.Name, tags: [RotorHealthChecks.ReadyTag]);

        services.AddProblemDetails();
        return services;
    }
}

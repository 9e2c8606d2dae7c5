using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rotor.Accounts;
using Rotor.Accounts.Mfa;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The services of two-step sign-in and recent authentication, registered by <c>AddRotor</c>.</summary>
internal static class RotorMfaServiceCollectionExtensions
{
    /// <summary>
    /// Registers Rotor's two-step sign-in, and Identity's authenticator token provider under
    /// <see cref="TokenOptions.AuthenticatorTokenProvider"/> unless the app registered one by that name
    /// (<c>AddIdentityCore</c> adds no token providers; <c>AddDefaultTokenProviders</c> does).
    /// </summary>
    public static IServiceCollection AddRotorMfa<TUser, TContext>(this IServiceCollection services)
        where TUser : IdentityUser, new()
        where TContext : DbContext
    {
        services.TryAddTransient<AuthenticatorTokenProvider<TUser>>();
        services.PostConfigure<IdentityOptions>(identity =>
        {
            var name = identity.Tokens.AuthenticatorTokenProvider;
            if (!identity.Tokens.ProviderMap.ContainsKey(name))
            {
                identity.Tokens.ProviderMap[name] = new TokenProviderDescriptor(typeof(AuthenticatorTokenProvider<TUser>));
            }
        });

        services.TryAddScoped<IMfaStore, EfMfaStore<TContext>>();
        services.TryAddScoped<MfaCodes<TUser>>();
        services.TryAddScoped<IRotorSignInGate, RotorSignInGate<TUser>>();
        services.TryAddScoped<IRotorMfaManager, RotorMfaManager<TUser>>();
        services.TryAddScoped<IRotorReauthentication, RotorReauthentication<TUser>>();
        services.TryAddScoped<IRotorEmailChange, RotorEmailChange<TUser>>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Client;
using Rotor.Client.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds a Rotor session to an <see cref="HttpClient"/> registered with <c>AddHttpClient</c>.</summary>
public static class RotorHttpClientBuilderExtensions
{
    /// <summary>The suffix of the named client the session uses for its own calls (login, refresh, logout): <c>{name}.RotorAuth</c>.</summary>
    public const string AuthClientSuffix = ".RotorAuth";

    /// <summary>
    /// Sends this client's requests with a Rotor session's access token, refreshing it as needed. The session is a
    /// singleton keyed by the client's name (<c>[FromKeyedServices("api")] RotorSession</c>); the first client so
    /// configured is also the unkeyed <see cref="RotorSession"/>. The session reaches the server through the named
    /// client <c>{name}.RotorAuth</c>, which can be configured further like any other.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configure">Sets the options; <see cref="RotorSessionOptions.ServerAddress"/> is required.</param>
    /// <returns>The same builder.</returns>
    /// <example>
    /// <code>
    /// services.AddHttpClient("api", c => c.BaseAddress = new Uri("https://auth.example.com/"))
    ///         .AddRotorSession(o => o.ServerAddress = new Uri("https://auth.example.com/"));
    /// </code>
    /// </example>
    public static IHttpClientBuilder AddRotorSession(this IHttpClientBuilder builder, Action<RotorSessionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var name = builder.Name;
        var services = builder.Services;
        var authClient = name + AuthClientSuffix;

        services.AddOptions<RotorSessionOptions>(name).Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RotorSessionOptions>, RotorSessionOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // The session keeps cookies itself, so a rotated handler never loses them; the handlers must not keep their own.
        services.AddHttpClient(authClient).ConfigurePrimaryHttpMessageHandler(static (handler, _) =>
        {
            switch (handler)
            {
                case SocketsHttpHandler sockets:
                    sockets.UseCookies = false;
                    break;
                case HttpClientHandler client:
                    client.UseCookies = false;
                    break;
            }
        });

        services.AddKeyedSingleton(name, (sp, _) => new RotorSession(
            sp.GetRequiredService<IOptionsMonitor<RotorSessionOptions>>().Get(name),
            name,
            new FactoryBackchannel(sp.GetRequiredService<IHttpClientFactory>(), authClient),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<RotorSession>(name));

        builder.AddHttpMessageHandler(sp => new RotorSessionHandler(sp.GetRequiredKeyedService<RotorSession>(name)));
        return builder;
    }
}

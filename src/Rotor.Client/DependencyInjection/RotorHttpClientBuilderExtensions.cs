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
    /// client <c>{name}.RotorAuth</c>, which can be configured further like any other, except that its primary handler
    /// never follows redirects (the session sets <c>AllowAutoRedirect</c> and <c>UseCookies</c> to <c>false</c> on it).
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

        // The session's own calls never follow redirects: a 307/308 would re-send the refresh token or the password to
        // whatever host it names. The session keeps cookies itself, so a rotated handler never loses them; the handlers
        // must not keep their own. Done after every other configuration (post-configure, last builder action), so a
        // primary handler the app sets for this client, or for all clients, is covered too.
        services.AddHttpClient(authClient);
        services.PostConfigure<HttpClientFactoryOptions>(authClient, static options => options.HttpMessageHandlerBuilderActions.Add(static b =>
        {
            if (!BackchannelHandlers.TryConfigure(b.PrimaryHandler, turnOffCookies: true))
            {
                throw new InvalidOperationException($"The primary handler of the HttpClient '{b.Name}' follows redirects and has already sent requests (is it shared?), so the Rotor session cannot turn that off; give '{b.Name}' a handler of its own with AllowAutoRedirect = false.");
            }
        }));

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

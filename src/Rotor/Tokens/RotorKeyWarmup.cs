using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Rotor.Tokens;

/// <summary>
/// Loads (or on first start creates) the keys while the host starts, so a key folder that cannot be
/// written fails the start-up with its message instead of the first sign-in.
/// </summary>
internal sealed class RotorKeyWarmup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<AccessTokenIssuer>();
        services.GetRequiredService<AccessTokenValidator>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

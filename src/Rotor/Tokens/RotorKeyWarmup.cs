using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rotor.Tokens;

/// <summary>
/// Loads (or on first start creates) the keys while the host starts, so a key store that cannot be written fails the
/// start-up with its message instead of the first sign-in; then every <see cref="RotorKeyOptions.CheckInterval"/>
/// reloads them, rotates those due and removes retired ones (any instance may; the store lets one win).
/// </summary>
internal sealed class RotorKeyWarmup(IServiceProvider services, TimeProvider time, IOptions<RotorOptions> options, ILogger<RotorKeyWarmup> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<AccessTokenIssuer>();
        services.GetRequiredService<AccessTokenValidator>();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var keys = services.GetRequiredService<RotorKeyRing>();
        using var timer = new PeriodicTimer(options.Value.Keys.CheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await keys.MaintainAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                KeyLog.MaintenanceFailed(logger, ex);
            }
        }
    }
}

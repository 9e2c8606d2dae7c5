using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Accounts;

namespace Rotor.Email;

/// <summary>
/// Composes and sends queued mail off the request path, retrying with exponential back-off. Failures are only
/// logged: the request that queued the mail has long been answered, with an answer that never depended on it.
/// </summary>
internal sealed class RotorMailWorker(
    RotorMailQueue queue,
    IServiceScopeFactory scopes,
    IRotorEmailSender sender,
    IOptions<RotorOptions> options,
    TimeProvider time,
    ILogger<RotorMailWorker> logger) : BackgroundService
{
    private readonly RotorEmailOptions _email = options.Value.Email;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await ProcessAsync(job, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(RotorMailJob job, CancellationToken stoppingToken)
    {
        var (composed, message) = await TryAsync(job.Kind, async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IAccountMailComposer>().ComposeAsync(job, stoppingToken);
        }, stoppingToken);
        if (!composed)
        {
            return;
        }

        if (message is null)
        {
            EmailLog.NotNeeded(logger, job.Kind);
            return;
        }

        var (sent, _) = await TryAsync(job.Kind, async () =>
        {
            await sender.SendAsync(message, stoppingToken);
            return true;
        }, stoppingToken);
        if (sent)
        {
            EmailLog.Sent(logger, job.Kind);
        }
    }

    private async Task<(bool Ok, T? Value)> TryAsync<T>(string kind, Func<Task<T>> action, CancellationToken stoppingToken)
    {
        var maxAttempts = Math.Max(1, _email.MaxAttempts);
        var delay = _email.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (true, await action());
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt >= maxAttempts)
                {
                    EmailLog.GaveUp(logger, ex, kind, maxAttempts);
                    return (false, default);
                }

                EmailLog.Retrying(logger, ex, kind, attempt, maxAttempts, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay *= 2;
            }
        }
    }
}

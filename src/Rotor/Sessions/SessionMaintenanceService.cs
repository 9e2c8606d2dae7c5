using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Diagnostics;
using Rotor.RateLimiting;
using Rotor.Storage;

namespace Rotor.Sessions;

/// <summary>
/// Background upkeep: purges ended sessions, old security events, ended rate-limit windows and expired DPoP proofs so the tables do not grow without
/// bound, and reads sessions revoked by other instances into this instance's <see cref="SessionRevocationList"/>.
/// </summary>
/// <remarks>
/// The poll reads by revocation time, not by the log's sequence, so it does not depend on the trigger or the listener
/// that the push path (<see cref="IRevocationListener"/>) does: it is the safety net that bounds how late any
/// revocation can arrive, whatever happened to the connection that listens.
/// </remarks>
internal sealed class SessionMaintenanceService(
    IServiceScopeFactory scopes,
    SessionRevocationList revocations,
    RevocationStatus status,
    TimeProvider time,
    IOptions<RotorOptions> options,
    ILogger<SessionMaintenanceService> logger) : BackgroundService
{
    private readonly RotorOptions _options = options.Value;

    // Where the sweep (every session against its user, one page per poll: the safety net for account changes nothing
    // recorded) goes on from. It starts at the first id, so a table of one page is checked whole from the first poll.
    private Guid _sweepAfter = Guid.Empty;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(PurgeLoopAsync(stoppingToken), PollLoopAsync(stoppingToken));

    internal async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IRotorStore>();
        var count = await store.PurgeAsync(now - _options.RevokedSessionRetention, now - revocations.Window, now - _options.SecurityEventRetention, cancellationToken);
        count += await scope.ServiceProvider.GetRequiredService<IRateLimitCounter>().PurgeAsync(now, cancellationToken);
        count += await scope.ServiceProvider.GetRequiredService<Dpop.IDpopReplayCache>().PurgeAsync(now, cancellationToken);
        if (count > 0)
        {
            RotorLog.Purged(logger, count);
        }

        return count;
    }

    internal async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IRotorStore>();
        // Sessions whose account the app deleted, locked or re-stamped end here, so their access tokens stop
        // within one poll even if they never refresh again.
        var now = time.GetUtcNow();
        var template = new RotorSecurityEvent { Type = SecurityEventTypes.SessionRevoked, OccurredAt = now, Detail = RevocationReasons.AccountChanged };
        var (ended, sweepNext) = await store.RevokeInvalidatedAsync(now, template, _sweepAfter, cancellationToken);
        _sweepAfter = sweepNext ?? Guid.Empty;
        foreach (var (sessionId, _) in ended)
        {
            revocations.Add(sessionId, now);
            RotorLog.SessionRevoked(logger, sessionId, RevocationReasons.AccountChanged);
        }

        foreach (var (sessionId, revokedAt) in await store.RevokedSinceAsync(startedAt - revocations.Window, cancellationToken))
        {
            revocations.Add(sessionId, revokedAt);
        }

        status.Polled(startedAt);
        revocations.Prune();
    }

    private async Task PurgeLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.PurgeInterval, time);
        do
        {
            await RunSafelyAsync(PurgeOnceAsync, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task PollLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RevocationPollInterval, time);
        do
        {
            await RunSafelyAsync(PollOnceAsync, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task RunSafelyAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        try
        {
            await work(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A database hiccup must not stop upkeep for good; the next tick tries again.
            RotorLog.MaintenanceFailed(logger, ex);
        }
    }
}

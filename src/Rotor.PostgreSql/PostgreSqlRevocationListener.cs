using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.PostgreSql;

/// <summary>
/// Hears revocations committed on any instance the moment they commit: LISTEN on a dedicated connection (not from
/// the pool, named <see cref="ApplicationName"/> in <c>pg_stat_activity</c>) to the channel the revocation trigger
/// notifies, adding each session to this instance's <see cref="SessionRevocationList"/>.
/// </summary>
/// <remarks>
/// After every (re)connection it first LISTENs and only then reads what it missed from the revocation log by
/// sequence (<see cref="RevocationSequence"/>): a revocation committed before the read is in it, one committed
/// after is notified, so none falls between. It is <see cref="IsListening"/> only from then on. A lost connection
/// (PostgreSQL restarted, the backend terminated, the network) is retried with back-off; meanwhile the revocation
/// poll goes on, so a revoked token is never accepted for longer than the poll interval. The back-off waits on the
/// app's <see cref="TimeProvider"/> (a test's fake clock drives reconnections); the socket waits are real.
/// </remarks>
internal sealed partial class PostgreSqlRevocationListener(
    IServiceScopeFactory scopes,
    SessionRevocationList revocations,
    TimeProvider time,
    ILogger<PostgreSqlRevocationListener> logger) : BackgroundService, IRevocationListener
{
    /// <summary>The <c>application_name</c> of the listening connection.</summary>
    public const string ApplicationName = "rotor-revocations";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

    private readonly RevocationSequence _sequence = new();
    private volatile bool _listening;
    private long _downSinceTicks = time.GetUtcNow().UtcTicks;

    public bool IsListening => _listening;

    public DateTimeOffset DownSince => new(Interlocked.Read(ref _downSinceTicks), TimeSpan.Zero);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => retry = FirstRetry, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Lost(ex, retry);
            }

            // Jitter, so a fleet that lost PostgreSQL together does not come back in lock-step.
            var wait = retry * (0.8 + (0.4 * Random.Shared.NextDouble()));
            retry = retry * 2 < LongestRetry ? retry * 2 : LongestRetry;
            try
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(Action connected, CancellationToken stoppingToken)
    {
        string connectionString;
        string sessionsTable;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<RotorDbContextAccessor>().Context;
            connectionString = context.Database.GetConnectionString()
                ?? throw new InvalidOperationException("The Rotor context has no connection string to listen with.");
            sessionsTable = RevocationLogNames.Create(context).Sessions;
        }

        var settings = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = ApplicationName,
            // Its own physical connection: a pooled one would be handed to others, and a multiplexed one cannot LISTEN.
            Pooling = false,
            Multiplexing = false,
            Enlist = false,
            // A query every few idle seconds, so a connection that died without a word (a dropped network) is noticed.
            KeepAlive = 5,
            TcpKeepAlive = true,
        };

        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Notification += OnNotification;
        await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlRevocationTrigger.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }

        await using (var check = new NpgsqlCommand(PostgreSqlRevocationTrigger.ExistsSql, connection))
        {
            check.Parameters.AddWithValue("table", sessionsTable);
            if (await check.ExecuteScalarAsync(stoppingToken).ConfigureAwait(false) is not true)
            {
                // Listening would report "caught up" while nothing can ever be notified: say so, and count as down.
                throw new InvalidOperationException(
                    $"The revocation trigger {PostgreSqlRevocationTrigger.TriggerName} is not installed on {sessionsTable}: call IRotorDatabaseProvider.PrepareAsync after migrating, as the host's start-up does.");
            }
        }

        var caughtUp = await CatchUpAsync(stoppingToken).ConfigureAwait(false);
        _listening = true;
        connected();
        Log.Listening(logger, caughtUp);
        while (true)
        {
            await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads what was revoked while this instance did not listen; returns how many log lines it read.</summary>
    private async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IRotorStore>();
        var now = time.GetUtcNow();
        if (!_sequence.IsKnown)
        {
            // The first connection: the log's end is the starting point, and the sessions table (the same read the
            // poll makes) supplies every revocation whose access tokens may still be alive.
            _sequence.Start(await store.LastRevocationSequenceAsync(cancellationToken).ConfigureAwait(false), now);
            var recent = await store.RevokedSinceAsync(now - revocations.Window, cancellationToken).ConfigureAwait(false);
            foreach (var (sessionId, revokedAt) in recent)
            {
                revocations.Add(sessionId, revokedAt);
            }

            return recent.Count;
        }

        var missed = await store.RevocationsAfterAsync(_sequence.CatchUpFrom(now), cancellationToken).ConfigureAwait(false);
        foreach (var line in missed)
        {
            revocations.Add(line.SessionId, line.RevokedAt);
            _sequence.Seen(line.Sequence, now);
        }

        return missed.Count;
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        // "sequence session-id revoked-at-unix-ms", written by the trigger.
        var parts = e.Payload.Split(' ');
        if (parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && Guid.TryParse(parts[1], out var sessionId)
            && long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var revokedAtMs))
        {
            revocations.Add(sessionId, DateTimeOffset.FromUnixTimeMilliseconds(revokedAtMs));
            _sequence.Seen(sequence, time.GetUtcNow());
        }
        else
        {
            // Not ours (another app on the channel); the poll would catch anything real.
            Log.UnknownPayload(logger, e.Channel);
        }
    }

    private void Lost(Exception exception, TimeSpan retry)
    {
        if (_listening)
        {
            _listening = false;
            Interlocked.Exchange(ref _downSinceTicks, time.GetUtcNow().UtcTicks);
        }

        Log.Lost(logger, retry.TotalSeconds, exception);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Listening for revocations; caught up on {Count} revocations.")]
        public static partial void Listening(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Warning, "The revocation listener lost its connection; reconnecting in about {Seconds} s (the revocation poll goes on meanwhile).")]
        public static partial void Lost(ILogger logger, double seconds, Exception exception);

        [LoggerMessage(3, LogLevel.Debug, "Ignored a notification on {Channel} that is not a Rotor revocation.")]
        public static partial void UnknownPayload(ILogger logger, string channel);
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Rotor.Diagnostics;

namespace Rotor.Sessions;

/// <summary>
/// How far behind this instance may be on other instances' revocations (its lag): zero while a
/// <see cref="IRevocationListener"/> is listening and caught up, otherwise the time since it last knew it had them all
/// (the loss of the listener or the start of the last successful poll, whichever is later). Published as the
/// <c>rotor.revocation.lag</c> gauge (seconds) and read by the readiness check.
/// </summary>
internal sealed class RevocationStatus
{
    private readonly TimeProvider _time;
    private readonly IRevocationListener? _listener;
    private long _polledAtTicks;

    public RevocationStatus(TimeProvider time, IOptions<RotorOptions> options, IEnumerable<IRevocationListener> listeners, IMeterFactory meters)
    {
        _time = time;
        _listener = listeners.LastOrDefault();
        PollInterval = options.Value.RevocationPollInterval;
        _polledAtTicks = time.GetUtcNow().UtcTicks;
        meters.Create(RotorMetrics.MeterName).CreateObservableGauge(
            "rotor.revocation.lag",
            () => Lag.TotalSeconds,
            "s",
            "How late this instance may learn of a session revoked on another instance: 0 while its revocation listener is live and caught up.");
    }

    /// <summary>Whether a push feed is configured (PostgreSQL); without one the poll is the only source.</summary>
    public bool HasListener => _listener is not null;

    public bool IsListening => _listener?.IsListening == true;

    public TimeSpan PollInterval { get; }

    public TimeSpan Lag
    {
        get
        {
            if (IsListening)
            {
                return TimeSpan.Zero;
            }

            var current = new DateTimeOffset(Interlocked.Read(ref _polledAtTicks), TimeSpan.Zero);
            if (_listener is not null && _listener.DownSince > current)
            {
                current = _listener.DownSince;
            }

            var lag = _time.GetUtcNow() - current;
            return lag > TimeSpan.Zero ? lag : TimeSpan.Zero;
        }
    }

    /// <summary>How long the listener has been down (zero while it listens or when there is none).</summary>
    public TimeSpan ListenerDownFor => _listener is null || _listener.IsListening
        ? TimeSpan.Zero
        : _time.GetUtcNow() - _listener.DownSince;

    /// <summary>Records a poll that read every revocation committed before <paramref name="startedAt"/>.</summary>
    public void Polled(DateTimeOffset startedAt)
    {
        var ticks = startedAt.UtcTicks;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _polledAtTicks);
        }
        while (ticks > seen && Interlocked.CompareExchange(ref _polledAtTicks, ticks, seen) != seen);
    }
}

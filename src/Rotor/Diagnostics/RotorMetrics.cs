using System.Diagnostics.Metrics;

namespace Rotor.Diagnostics;

/// <summary>
/// The counts an operator watches, on the <c>Rotor</c> meter: sign-ins, refreshes, refresh failures by
/// code, and refresh-token reuse (a stolen token, or a client bug).
/// </summary>
public sealed class RotorMetrics
{
    /// <summary>The meter's name, for OpenTelemetry's <c>AddMeter</c>.</summary>
    public const string MeterName = "Rotor";

    private readonly Counter<long> _logins;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _refreshFailures;
    private readonly Counter<long> _reuse;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public RotorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _logins = meter.CreateCounter<long>("rotor.logins", "{login}", "Sign-in attempts, by outcome.");
        _refreshes = meter.CreateCounter<long>("rotor.refreshes", "{refresh}", "Successful refreshes, by kind (rotated or grace).");
        _refreshFailures = meter.CreateCounter<long>("rotor.refresh.failures", "{refresh}", "Refused refreshes, by error code.");
        _reuse = meter.CreateCounter<long>("rotor.refresh_token.reuse_detected", "{event}", "Rotated-away refresh tokens presented; each revoked a session.");
    }

    internal void Login(string outcome) => _logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void Refreshed(string kind) => _refreshes.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void RefreshFailed(string code) => _refreshFailures.Add(1, new KeyValuePair<string, object?>("code", code));

    internal void ReuseDetected() => _reuse.Add(1);
}

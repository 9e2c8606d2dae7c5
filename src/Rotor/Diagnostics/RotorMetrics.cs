using System.Diagnostics.Metrics;
using Rotor.Storage;

namespace Rotor.Diagnostics;

/// <summary>
/// The counts an operator watches, on the <c>Rotor</c> meter: sign-ins, refreshes, refresh failures by
/// code, and refresh-token reuse (a stolen token, or a client bug); and how long sign-ins and refreshes take
/// (<c>rotor.login.duration</c>, <c>rotor.refresh.duration</c>, in seconds, by outcome and provider).
/// </summary>
public sealed class RotorMetrics
{
    /// <summary>The meter's name, for OpenTelemetry's <c>AddMeter</c>.</summary>
    public const string MeterName = "Rotor";

    // Sign-in hashes a password (tens of milliseconds); a refresh is one statement (about a millisecond). The SDK's
    // default buckets (0, 5, 10, 25 ... 10000) are for milliseconds and would put every refresh in the first one.
    private static readonly IReadOnlyList<double> s_buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _logins;
    private readonly Counter<long> _refreshes;
    private readonly Counter<long> _refreshFailures;
    private readonly Counter<long> _reuse;
    private readonly Histogram<double> _loginDuration;
    private readonly Histogram<double> _refreshDuration;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public RotorMetrics(IMeterFactory meterFactory)
        : this(meterFactory, [])
    {
    }

    /// <summary>Creates the instruments, labelling durations with the database provider's name (<c>sqlite</c>, <c>postgresql</c>).</summary>
    public RotorMetrics(IMeterFactory meterFactory, IEnumerable<IRotorDatabaseProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(providers);
        Provider = providers.LastOrDefault()?.Name.ToLowerInvariant() ?? "other";
        var meter = meterFactory.Create(MeterName);
        _logins = meter.CreateCounter<long>("rotor.logins", "{login}", "Sign-in attempts, by outcome.");
        _refreshes = meter.CreateCounter<long>("rotor.refreshes", "{refresh}", "Successful refreshes, by kind (rotated or grace).");
        _refreshFailures = meter.CreateCounter<long>("rotor.refresh.failures", "{refresh}", "Refused refreshes, by error code.");
        _reuse = meter.CreateCounter<long>("rotor.refresh_token.reuse_detected", "{event}", "Rotated-away refresh tokens presented; each revoked a session.");
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = s_buckets };
        _loginDuration = meter.CreateHistogram("rotor.login.duration", "s", "Duration of sign-ins (password, and two-step's second step), by outcome and provider.", advice: advice);
        _refreshDuration = meter.CreateHistogram("rotor.refresh.duration", "s", "Duration of refreshes, by outcome (rotated, grace, or the error code) and provider.", advice: advice);
    }

    /// <summary>The database provider's name in tags: <c>sqlite</c>, <c>postgresql</c>, or <c>other</c>.</summary>
    internal string Provider { get; }

    internal void Login(string outcome) => _logins.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void Refreshed(string kind) => _refreshes.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void RefreshFailed(string code) => _refreshFailures.Add(1, new KeyValuePair<string, object?>("code", code));

    internal void ReuseDetected() => _reuse.Add(1);

    internal RotorOperation StartLogin(string step) => new RotorOperation("rotor.login", _loginDuration, Provider).Tag("rotor.login.step", step);

    internal RotorOperation StartRefresh(string mode) => new RotorOperation("rotor.refresh", _refreshDuration, Provider).Tag("rotor.mode", mode);

    internal RotorOperation StartRevoke(string reason) => new RotorOperation("rotor.revoke", null, Provider).Tag("rotor.revocation.reason", reason);

    internal RotorOperation StartRotation() => new("rotor.store.rotate", null, Provider);
}

namespace Rotor;

/// <summary>
/// A warm-up before readiness, bound from <c>Rotor:Warmup</c>. A fresh process runs refreshes at about half speed
/// for its first 15–20 s under load while the JIT recompiles the hot code (docs/performance.md); with the warm-up on,
/// the instance first runs the refresh path in process (refresh-token codec, the rotation statement against the real
/// database for a session that does not exist, access-token issue and bearer validation, the JSON in and out) and
/// <c>/healthz/ready</c> answers 503 until it is done, so a load balancer sends it traffic only once it is near its
/// steady rate. It writes no row, counts against no rate limit and records no Rotor metric.
/// </summary>
public sealed class RotorWarmupOptions
{
    /// <summary>Whether to warm up before readiness. Default: false (the host decides; it pays where a load balancer follows readiness).</summary>
    public bool Enabled { get; set; }

    /// <summary>How long the warm-up runs at most. Default: 5 seconds; between 100 ms and 5 minutes.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many refresh-path rounds the warm-up runs at most, over all its workers; it ends at whichever of this and
    /// <see cref="Duration"/> comes first. Default: null (as many as fit in the duration); at least 1 when set.
    /// </summary>
    public int? Iterations { get; set; }

    /// <summary>
    /// How many rounds run at once, so the concurrent paths (connection pool, SQLite's grouped commits) warm up too.
    /// Default: 4; between 1 and 64.
    /// </summary>
    public int Concurrency { get; set; } = 4;
}

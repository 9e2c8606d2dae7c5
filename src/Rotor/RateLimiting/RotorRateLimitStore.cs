namespace Rotor.RateLimiting;

/// <summary>Where Rotor keeps its rate-limit counts (<c>Rotor:RateLimits:Store</c>).</summary>
public enum RotorRateLimitStore
{
    /// <summary>
    /// In the database (table <c>rotor_rate_limits</c>), shared by every instance on it, so N instances allow
    /// the limit once, not N times. One upsert per counted request. The default.
    /// </summary>
    Database,

    /// <summary>In this process only: no database write, but each instance counts alone. For a single instance.</summary>
    Memory,
}

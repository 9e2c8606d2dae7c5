namespace Rotor.RateLimiting;

/// <summary>One endpoint's limits: requests per <see cref="Window"/> from one client address, and for one account or email address.</summary>
public sealed class RotorRateLimit
{
    /// <summary>Creates a limit.</summary>
    public RotorRateLimit(int perAddress, int perAccount, TimeSpan window)
    {
        PerAddress = perAddress;
        PerAccount = perAccount;
        Window = window;
    }

    /// <summary>Requests allowed from one client address (IPv6: one /64) per window. 0 turns this limit off.</summary>
    public int PerAddress { get; set; }

    /// <summary>Requests allowed naming one account or email address per window, from anywhere. 0 turns this limit off.</summary>
    public int PerAccount { get; set; }

    /// <summary>The fixed window the counts are kept over.</summary>
    public TimeSpan Window { get; set; }
}

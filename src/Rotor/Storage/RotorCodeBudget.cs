namespace Rotor.Storage;

/// <summary>
/// How many wrong verification codes were entered for one email address, across all its codes: a new code does
/// not reset it. Addresses without an account get one too, so the answers cannot tell the two apart.
/// </summary>
public sealed class RotorCodeBudget
{
    /// <summary>A keyed hash of the normalised address (the address itself is not stored).</summary>
    public string Key { get; set; } = "";

    /// <summary>Wrong codes in the current window.</summary>
    public int Failures { get; set; }

    /// <summary>When the current window started.</summary>
    public DateTimeOffset WindowStartedAt { get; set; }

    /// <summary>Until when codes for the address are refused without being checked; null when not blocked.</summary>
    public DateTimeOffset? BlockedUntil { get; set; }

    /// <summary>How many times the allowance ran out recently; each block lasts twice as long as the last.</summary>
    public int Strikes { get; set; }

    /// <summary>The last wrong code; a day later the row is forgotten.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Incremented on every change, so two concurrent checks cannot both spend the same allowance.</summary>
    public int Version { get; set; }
}

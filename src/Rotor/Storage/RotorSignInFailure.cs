namespace Rotor.Storage;

/// <summary>
/// Failed passwords counted for one account from one source (a client address, IPv6 by /64), or for the account
/// from everywhere (<see cref="Source"/> = <see cref="Everywhere"/>). Kept in the database so every instance
/// counts the same failures. Names that match no account are counted the same way, under the name.
/// </summary>
public sealed class RotorSignInFailure
{
    /// <summary>The <see cref="Source"/> of the row that counts the account's failures from every source.</summary>
    public const string Everywhere = "*";

    /// <summary>The account: <c>user:</c> and the user id, or <c>name:</c> and the normalised name when it matches no user.</summary>
    public string Account { get; set; } = "";

    /// <summary>The client address the failures came from (IPv6: its /64), or <see cref="Everywhere"/>.</summary>
    public string Source { get; set; } = "";

    /// <summary>Failures since the last lock (per source), or in the window that began at <see cref="WindowStart"/> (everywhere).</summary>
    public int Failures { get; set; }

    /// <summary>How long the last lock of this source lasted; the next one lasts twice as long, up to a cap. Zero when it was never locked.</summary>
    public TimeSpan LastLockout { get; set; }

    /// <summary>Until when this source may not try a password for the account.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>When the last failure was counted.</summary>
    public DateTimeOffset LastFailureAt { get; set; }

    /// <summary>When the current counting window of the everywhere row began.</summary>
    public DateTimeOffset WindowStart { get; set; }

    /// <summary>When the row stops mattering and may be deleted.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

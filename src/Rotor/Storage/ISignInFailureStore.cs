namespace Rotor.Storage;

/// <summary>Where failed passwords are counted (<see cref="RotorSignInFailure"/>), shared by every instance on the database.</summary>
internal interface ISignInFailureStore
{
    /// <summary>The rows of <paramref name="account"/> for <paramref name="source"/> and for everywhere (zero, one or two).</summary>
    Task<IReadOnlyList<RotorSignInFailure>> ReadAsync(string account, string source, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one failure for the account from the source and from everywhere, locking the source when it reaches the
    /// policy's count, and stores the events <paramref name="events"/> makes of the new counts, in one transaction.
    /// The counting is done by the database, so failures counted at once by several instances all count.
    /// </summary>
    Task<SignInFailureCounts> RecordAsync(
        string account, string source, SignInFailurePolicy policy, DateTimeOffset now,
        Func<SignInFailureCounts, IEnumerable<RotorSecurityEvent>> events, CancellationToken cancellationToken);

    /// <summary>Forgets the failures of one source (it proved the password).</summary>
    Task ForgetSourceAsync(string account, string source, CancellationToken cancellationToken);

    /// <summary>Forgets every failure of the account, from every source (the password was reset).</summary>
    Task ForgetAccountAsync(string account, CancellationToken cancellationToken);
}

/// <summary>The counting rule <see cref="ISignInFailureStore.RecordAsync"/> applies.</summary>
/// <param name="MaxFailures">Failures from one source that lock it.</param>
/// <param name="FirstLockout">How long the first lock lasts; each next one twice as long, up to <paramref name="MaxLockout"/>.</param>
/// <param name="MaxLockout">The longest lock.</param>
/// <param name="Memory">How long after its last failure a source's count and last lock still count.</param>
/// <param name="AccountWindow">The window the account's failures from everywhere are counted over.</param>
internal readonly record struct SignInFailurePolicy(int MaxFailures, TimeSpan FirstLockout, TimeSpan MaxLockout, TimeSpan Memory, TimeSpan AccountWindow);

/// <summary>The counts after a failure was recorded.</summary>
/// <param name="SourceFailures">Failures from the source since its last lock: 0 when this failure locked it.</param>
/// <param name="LockedUntil">Until when the source is locked (may be in the past).</param>
/// <param name="LastLockout">How long the source's last lock lasts.</param>
/// <param name="AccountFailures">Failures from everywhere in the current window.</param>
/// <param name="WindowStart">When the current window began.</param>
internal readonly record struct SignInFailureCounts(int SourceFailures, DateTimeOffset? LockedUntil, TimeSpan LastLockout, int AccountFailures, DateTimeOffset WindowStart);

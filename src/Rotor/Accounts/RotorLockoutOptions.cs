namespace Rotor.Accounts;

/// <summary>
/// How failed passwords slow down guessing, bound from <c>Rotor:Lockout</c>. Failures are counted per account and
/// per source (client address, IPv6 by /64): after Identity's <c>Lockout.MaxFailedAccessAttempts</c> failures the
/// source is locked out of that account for <c>Lockout.DefaultLockoutTimeSpan</c>, twice as long on each repeat up
/// to <see cref="MaxLockout"/>. Other sources, the owner's among them, are not affected, except that past
/// <see cref="AccountFailureLimit"/> failures from everywhere a source gets one wrong password before it is refused.
/// </summary>
public sealed class RotorLockoutOptions
{
    /// <summary>The longest a source is locked out of an account after repeated locks. Default: 1 hour.</summary>
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a source's failures and the length of its last lock are remembered after its last failure; a
    /// success from the source or a password reset forgets them at once. Default: 1 day; at least <see cref="MaxLockout"/>.
    /// </summary>
    public TimeSpan FailureMemory { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Failed passwords for one account from all sources together, per <see cref="AccountFailureWindow"/>, after which
    /// a source that failed in the window is refused (423) until the window ends, and every other source gets one
    /// try: the right password still signs in. Default: 50; 0 turns it off.
    /// </summary>
    public int AccountFailureLimit { get; set; } = 50;

    /// <summary>The fixed window <see cref="AccountFailureLimit"/> counts over, from the first failure. Default: 1 hour.</summary>
    public TimeSpan AccountFailureWindow { get; set; } = TimeSpan.FromHours(1);
}

using Rotor.Storage;

namespace Rotor.Accounts.Mfa;

/// <summary>
/// The database side of two-step sign-in, on Rotor's one-time token table: pending sign-in challenges (single use,
/// attempt-counted, only a salted HMAC of the secret stored) and the authenticator codes already used, so state
/// holds across every instance that shares the database.
/// </summary>
internal interface IMfaStore
{
    /// <summary>Stores a challenge, and deletes the user's ended challenges and used-code records.</summary>
    Task AddChallengeAsync(RotorAccountToken challenge, CancellationToken cancellationToken);

    Task<RotorAccountToken?> FindChallengeAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Counts one attempt if the challenge is live and has fewer than <paramref name="maxAttempts"/>; false otherwise.</summary>
    Task<bool> TryCountAttemptAsync(Guid id, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Marks a live challenge used; false when it was already used or has expired (a second use loses).</summary>
    Task<bool> TryConsumeAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="code"/> was accepted for the user, for <paramref name="memory"/>; false when it
    /// already was within that time (a replay). Decided by the table's primary key, so two instances cannot both win.
    /// </summary>
    Task<bool> TryMarkCodeUsedAsync(string userId, string code, DateTimeOffset now, TimeSpan memory, CancellationToken cancellationToken);
}

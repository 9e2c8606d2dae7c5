namespace Rotor.Storage;

/// <summary>Persistence of one-time account tokens, and the paged reading of the security log.</summary>
internal interface IAccountTokenStore
{
    /// <summary>Stores <paramref name="token"/> and retires every other live token of the same user and purpose, in one transaction.</summary>
    Task IssueAsync(RotorAccountToken token, CancellationToken cancellationToken);

    /// <summary>The newest token of a user for a purpose, in any state.</summary>
    Task<RotorAccountToken?> FindLatestAsync(string userId, string purpose, CancellationToken cancellationToken);

    Task<RotorAccountToken?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Counts one attempt if the token is live and has fewer than <paramref name="maxAttempts"/>; false when it had none left.</summary>
    Task<bool> TryCountAttemptAsync(Guid id, int maxAttempts, CancellationToken cancellationToken);

    /// <summary>Marks a live token used; false when it was already used or replaced (a second use loses).</summary>
    Task<bool> TryConsumeAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Retires every live token of a user for a purpose.</summary>
    Task ConsumeAllAsync(string userId, string purpose, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A user's security events, newest first: before the id <paramref name="before"/> when given, skipping <paramref name="skip"/>.</summary>
    Task<IReadOnlyList<RotorSecurityEvent>> ListEventsAsync(string userId, long? before, int skip, int take, CancellationToken cancellationToken);
}

namespace Rotor.Storage;

/// <summary>
/// Persistence of one-time account tokens, pending email verifications and the per-address code budget, and the
/// paged reading of the security log. Every write joins an open <see cref="IStoreUnitOfWork"/>.
/// </summary>
internal interface IAccountTokenStore
{
    /// <summary>Stores <paramref name="token"/> and retires every other live token of the same user and purpose, in one transaction.</summary>
    Task IssueAsync(RotorAccountToken token, CancellationToken cancellationToken);

    /// <summary>The newest token of a user for a purpose, in any state.</summary>
    Task<RotorAccountToken?> FindLatestAsync(string userId, string purpose, CancellationToken cancellationToken);

    Task<RotorAccountToken?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Marks a live token used; false when it was already used or replaced (a second use loses).</summary>
    Task<bool> TryConsumeAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Retires every live token of a user for a purpose.</summary>
    Task ConsumeAllAsync(string userId, string purpose, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The address the user is confirming, if any.</summary>
    Task<RotorEmailVerification?> FindVerificationAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Starts confirming an address, replacing the user's previous pending verification.</summary>
    Task StartVerificationAsync(RotorEmailVerification verification, CancellationToken cancellationToken);

    /// <summary>Ends the user's pending verification (the address was confirmed another way, or by a code).</summary>
    Task EndVerificationAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The code budget of an address key, untracked; null when it has none.</summary>
    Task<RotorCodeBudget?> FindBudgetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a budget read as <paramref name="readVersion"/> (null: it did not exist). Throws
    /// <see cref="Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException"/> (or a unique-key failure) when
    /// another request changed it meanwhile, so no allowance is spent twice.
    /// </summary>
    Task SaveBudgetAsync(RotorCodeBudget budget, int? readVersion, CancellationToken cancellationToken);

    /// <summary>Deletes a budget read as <paramref name="readVersion"/>; throws like <see cref="SaveBudgetAsync"/> when it changed meanwhile.</summary>
    Task DeleteBudgetAsync(string key, int readVersion, CancellationToken cancellationToken);

    /// <summary>A user's security events, newest first: before the id <paramref name="before"/> when given, skipping <paramref name="skip"/>.</summary>
    Task<IReadOnlyList<RotorSecurityEvent>> ListEventsAsync(string userId, long? before, int skip, int take, CancellationToken cancellationToken);
}

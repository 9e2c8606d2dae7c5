using Rotor.Contracts;
using Rotor.Http;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Admin;

/// <summary>
/// What an admin may do to another user's account: find it, read its sessions and security log, end sessions, lock
/// and unlock it. Every action is logged on the target's security log with the admin's id (the <c>actor</c> argument).
/// </summary>
internal interface IRotorAdmin
{
    /// <summary>
    /// Users whose username or email equals (or, with <paramref name="prefix"/>, starts with) <paramref name="query"/>
    /// after Identity's normalisation, by username; one more than <paramref name="take"/> tells that more follow.
    /// </summary>
    Task<IReadOnlyList<AdminUserResponse>> SearchAsync(string? query, bool prefix, int skip, int take, CancellationToken cancellationToken);

    Task<RotorOutcome<AdminUserResponse>> FindAsync(string userId, CancellationToken cancellationToken);

    Task<RotorOutcome<IReadOnlyList<RotorSession>>> ListSessionsAsync(string userId, string actor, ClientInfo client, CancellationToken cancellationToken);

    Task<RotorOutcome<IReadOnlyList<RotorSecurityEvent>>> ListEventsAsync(string userId, long? before, int skip, int take, string actor, ClientInfo client, CancellationToken cancellationToken);

    /// <summary>Revokes one live session of the user: <c>user_not_found</c>, <c>session_not_found</c>, or done.</summary>
    Task<RotorOutcome<bool>> RevokeSessionAsync(string userId, Guid sessionId, string actor, ClientInfo client, CancellationToken cancellationToken);

    /// <summary>Revokes every live session of the user; the number ended.</summary>
    Task<RotorOutcome<int>> RevokeAllAsync(string userId, string actor, ClientInfo client, CancellationToken cancellationToken);

    /// <summary>Locks the account until unlocked (Identity's lockout) and ends its sessions, in one transaction; the number ended.</summary>
    Task<RotorOutcome<int>> LockAsync(string userId, string actor, ClientInfo client, CancellationToken cancellationToken);

    /// <summary>Lifts the lock and forgets the account's failed sign-ins.</summary>
    Task<RotorOutcome<bool>> UnlockAsync(string userId, string actor, ClientInfo client, CancellationToken cancellationToken);
}

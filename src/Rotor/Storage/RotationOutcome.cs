namespace Rotor.Storage;

/// <summary>What the store decided about a presented refresh token (session and generation).</summary>
internal enum RotationKind
{
    /// <summary>The token was current: the session moved to the next generation.</summary>
    Rotated = 0,

    /// <summary>The token was replaced moments ago (within grace): the session's current generation is answered again.</summary>
    Grace = 1,

    /// <summary>The token was rotated away before: reuse; the session must be revoked.</summary>
    Reused = 2,

    /// <summary>The session was revoked.</summary>
    Revoked = 3,

    /// <summary>The session's idle or absolute lifetime has passed.</summary>
    Expired = 4,

    /// <summary>The user was deleted or locked by the app, or their security stamp changed since the session began.</summary>
    AccountUnavailable = 5,

    /// <summary>No such session, a generation it never had, or the token came by the other transport (cookie vs body).</summary>
    Invalid = 6,

    /// <summary>
    /// The session is bound to a DPoP key and the request carried no valid proof from it: nothing changes (a stolen
    /// token without the key is not reuse and revokes nothing).
    /// </summary>
    DpopMismatch = 7,
}

/// <summary>
/// The complete answer of one rotation attempt: the decision, and for a session that continues (rotated or
/// grace) what its tokens need. The decision is made by the store's SQL alone (<see cref="RotorSql"/>).
/// For a revoked session, <see cref="RevocationReason"/> says why (a <see cref="Sessions.RevocationReasons"/> value),
/// so the owner's other tab can be told what really happened.
/// </summary>
internal sealed record RotationOutcome(
    RotationKind Kind,
    string? UserId = null,
    long Generation = 0,
    DateTimeOffset IdleExpiresAt = default,
    string? UserName = null,
    string? Email = null,
    DateTimeOffset? AuthenticatedAt = null,
    string? DpopJkt = null,
    string? RevocationReason = null)
{
    public static readonly RotationOutcome Unknown = new(RotationKind.Invalid);
}

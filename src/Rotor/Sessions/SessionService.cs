using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Diagnostics;
using Rotor.Http;
using Rotor.Storage;
using Rotor.Tokens;

namespace Rotor.Sessions;

/// <summary>
/// The token rules: starting sessions, rotating refresh tokens with a grace period and reuse detection,
/// and revoking sessions. Storage-independent; the store supplies an atomic compare-and-swap.
/// </summary>
/// <remarks>
/// Grace policy: only the token that the current one replaced (generation N-1) is accepted, and only within
/// <see cref="RotorOptions.RotationGracePeriod"/> of that rotation; it receives the session's current token
/// again rather than a new one, so concurrent refreshes converge on one chain. Any older ancestor, or the
/// predecessor after the grace period, is reuse: the whole session is revoked.
/// </remarks>
internal sealed class SessionService(
    IRotorStore store,
    RefreshTokenCodec codec,
    AccessTokenIssuer issuer,
    SessionRevocationList revocations,
    TimeProvider time,
    IOptions<RotorOptions> options,
    RotorMetrics metrics,
    ILogger<SessionService> logger)
{
    private readonly RotorOptions _options = options.Value;

    /// <summary>
    /// Starts a session; with <paramref name="dpopJkt"/> (the thumbprint of a valid DPoP proof's key) the session is bound
    /// to that key: its access tokens carry it as <c>cnf.jkt</c> and every refresh needs a proof from it.
    /// </summary>
    public async Task<SessionTokens> StartAsync(RotorUserInfo user, string mode, ClientInfo client, Guid? replaces, CancellationToken cancellationToken, string? dpopJkt = null)
    {
        var now = time.GetUtcNow();
        var expiresAt = now + _options.SessionLifetime;
        var session = new RotorSession
        {
            Id = Guid.CreateVersion7(now),
            UserId = user.Id,
            Generation = 0,
            CreatedAt = now,
            LastUsedAt = now,
            ExpiresAt = expiresAt,
            IdleExpiresAt = Min(now + _options.RefreshTokenLifetime, expiresAt),
            Mode = mode,
            UserAgent = client.UserAgent,
            IpAddress = client.IpAddress,
            AuthenticatedAt = now,
            DpopJkt = dpopJkt,
        };

        await store.CreateSessionAsync(session, Event(SecurityEventTypes.LoginSucceeded, user.Id, session.Id, client, now, mode), replaces, cancellationToken);
        if (replaces is { } old)
        {
            revocations.Add(old, now);
        }

        metrics.Login("succeeded");
        RotorLog.SignedIn(logger, user.Id, session.Id, mode);
        return Issue(user, session.Id, session.Generation, session.IdleExpiresAt, now, now, dpopJkt);
    }

    /// <summary>
    /// Exchanges a refresh token that came by <see cref="RefreshAttempt.Mode"/> (cookie: browser, body: native) for new
    /// tokens: the one refresh routine behind every refresh endpoint. What the token gets is the store's decision
    /// (<see cref="IRotorStore.RotateAsync"/>); this only acts on it: issue, or refuse with a code, revoking the session on reuse.
    /// A session bound to a DPoP key refreshes only with a proof from that key (<see cref="RefreshAttempt.DpopJkt"/>); a
    /// proof sent for a session that is not bound is ignored (the session stays a bearer one).
    /// </summary>
    public async Task<RotorOutcome<SessionTokens>> RefreshAsync(RefreshAttempt attempt, CancellationToken cancellationToken)
    {
        using var operation = metrics.StartRefresh(attempt.Mode);
        var result = await RotateAsync(attempt, operation, cancellationToken);
        if (!result.Succeeded)
        {
            operation.Complete(result.Error!.Value.Code);
        }

        return result;
    }

    private async Task<RotorOutcome<SessionTokens>> RotateAsync(RefreshAttempt attempt, RotorOperation operation, CancellationToken cancellationToken)
    {
        var (refreshToken, mode, client, dpopJkt) = attempt;
        if (string.IsNullOrEmpty(refreshToken))
        {
            return Fail(RotorErrorCodes.RefreshTokenMissing);
        }

        if (!codec.TryParse(refreshToken, out var sessionId, out var generation))
        {
            return Fail(RotorErrorCodes.RefreshTokenInvalid);
        }

        operation.Tag("rotor.session_id", sessionId.ToString("D"));
        var now = time.GetUtcNow();
        var outcome = await store.RotateAsync(
            new RotationRequest(sessionId, generation, mode, now, now + _options.RefreshTokenLifetime, now - _options.RotationGracePeriod, dpopJkt), cancellationToken);
        switch (outcome.Kind)
        {
            case RotationKind.Rotated or RotationKind.Grace:
                var kind = outcome.Kind == RotationKind.Rotated ? "rotated" : "grace";
                metrics.Refreshed(kind);
                operation.Complete(kind);
                return Issue(new RotorUserInfo(outcome.UserId!, outcome.UserName, outcome.Email), sessionId, outcome.Generation, outcome.IdleExpiresAt, now, outcome.AuthenticatedAt, outcome.DpopJkt);
            case RotationKind.DpopMismatch:
                // Whoever sent this has the refresh token but not the session's key: refused, and nothing changes, so a
                // thief cannot end the owner's session by replaying an old token.
                RotorLog.DpopMismatch(logger, sessionId, dpopJkt is not null);
                return Fail(RotorErrorCodes.InvalidDpopProof);
            case RotationKind.Reused:
                var evt = Event(SecurityEventTypes.RefreshTokenReused, outcome.UserId, sessionId, client, now, $"generation {generation} presented; current {outcome.Generation}");
                await store.RevokeAsync(sessionId, null, RevocationReasons.TokenReuse, evt, cancellationToken);
                revocations.Add(sessionId, now);
                metrics.ReuseDetected();
                RotorLog.ReuseDetected(logger, sessionId, outcome.UserId!, generation, outcome.Generation);
                return Fail(RotorErrorCodes.RefreshTokenReused);
            case RotationKind.AccountUnavailable:
                await RevokeAsync(sessionId, null, RevocationReasons.AccountChanged, client, cancellationToken);
                return Fail(RotorErrorCodes.AccountUnavailable);
            case RotationKind.Revoked:
                // The owner's other tabs and devices say what happened ("your password was changed") from the reason.
                return Fail(RotorErrorCodes.SessionRevoked, outcome.RevocationReason is { } reason ? new Dictionary<string, object?> { ["reason"] = reason } : null);
            case RotationKind.Expired:
                return Fail(RotorErrorCodes.RefreshTokenExpired);
            default:
                return Fail(RotorErrorCodes.RefreshTokenInvalid);
        }
    }

    /// <summary>
    /// Records that the user proved who they are in <paramref name="sessionId"/> just now and issues an access token
    /// with that <c>auth_time</c> (the refresh token is unchanged, and later refreshes keep the new time); null when
    /// the session is not a live one of the user's.
    /// </summary>
    public async Task<IssuedAccessToken?> ReauthenticateAsync(RotorUserInfo user, Guid sessionId, CancellationToken cancellationToken, string? dpopJkt = null)
    {
        var now = time.GetUtcNow();
        if (!await store.MarkAuthenticatedAsync(sessionId, user.Id, now, cancellationToken))
        {
            return null;
        }

        return issuer.Issue(user.Id, user.UserName, user.Email, sessionId, now, now, dpopJkt);
    }

    /// <summary>Revokes one session; with <paramref name="userId"/>, only if it is that user's.</summary>
    public async Task<bool> RevokeAsync(Guid sessionId, string? userId, string reason, ClientInfo client, CancellationToken cancellationToken)
    {
        using var operation = metrics.StartRevoke(reason).Tag("rotor.session_id", sessionId.ToString("D"));
        var now = time.GetUtcNow();
        var type = reason == RevocationReasons.Logout ? SecurityEventTypes.Logout : SecurityEventTypes.SessionRevoked;
        var owner = await store.RevokeAsync(sessionId, userId, reason, Event(type, userId, sessionId, client, now, reason), cancellationToken);
        if (owner is null)
        {
            operation.Complete("not_found");
            return false;
        }

        operation.Complete("revoked");
        revocations.Add(sessionId, now);
        RotorLog.SessionRevoked(logger, sessionId, reason);
        return true;
    }

    /// <summary>Revokes every session of a user except <paramref name="except"/>.</summary>
    public async Task<int> RevokeAllAsync(string userId, Guid? except, string reason, ClientInfo client, CancellationToken cancellationToken)
    {
        using var operation = metrics.StartRevoke(reason);
        var now = time.GetUtcNow();
        var ids = await store.RevokeAllAsync(userId, except, reason, Event(SecurityEventTypes.SessionRevoked, userId, except, client, now, reason), cancellationToken);
        operation.Tag("rotor.revoked", ids.Count).Complete("revoked");
        foreach (var id in ids)
        {
            revocations.Add(id, now);
            RotorLog.SessionRevoked(logger, id, reason);
        }

        return ids.Count;
    }

    public Task<IReadOnlyList<RotorSession>> ListAsync(string userId, CancellationToken cancellationToken) =>
        store.ListActiveAsync(userId, time.GetUtcNow(), cancellationToken);

    /// <summary>The session a refresh token names, if the token is genuine; says nothing about its state.</summary>
    public Guid? ReadSessionId(string? refreshToken) =>
        refreshToken is not null && codec.TryParse(refreshToken, out var sessionId, out _) ? sessionId : null;

    internal static RotorSecurityEvent Event(string type, string? userId, Guid? sessionId, ClientInfo client, DateTimeOffset now, string? detail = null) => new()
    {
        Type = type,
        UserId = userId,
        SessionId = sessionId,
        OccurredAt = now,
        IpAddress = client.IpAddress,
        UserAgent = client.UserAgent,
        Detail = detail,
    };

    private SessionTokens Issue(RotorUserInfo user, Guid sessionId, long generation, DateTimeOffset refreshExpiresAt, DateTimeOffset now, DateTimeOffset? authenticatedAt, string? dpopJkt)
    {
        var access = issuer.Issue(user.Id, user.UserName, user.Email, sessionId, now, authenticatedAt, dpopJkt);
        return new SessionTokens(access.Token, access.ExpiresAt, codec.Create(sessionId, generation), refreshExpiresAt, sessionId, user, dpopJkt);
    }

    private RotorError Fail(string code, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        metrics.RefreshFailed(code);
        RotorLog.RefreshRefused(logger, code);
        return new RotorError(code, Extensions: extensions);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

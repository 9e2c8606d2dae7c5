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

    public async Task<SessionTokens> StartAsync(RotorUserInfo user, string mode, ClientInfo client, Guid? replaces, CancellationToken cancellationToken)
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
        };

        await store.CreateSessionAsync(session, Event(SecurityEventTypes.LoginSucceeded, user.Id, session.Id, client, now, mode), replaces, cancellationToken);
        if (replaces is { } old)
        {
            revocations.Add(old, now);
        }

        metrics.Login("succeeded");
        RotorLog.SignedIn(logger, user.Id, session.Id, mode);
        return Issue(user, session.Id, session.Generation, session.IdleExpiresAt, now);
    }

    public async Task<RefreshResult> RefreshAsync(string? refreshToken, ClientInfo client, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(refreshToken))
        {
            return Fail(RotorErrorCodes.RefreshTokenMissing);
        }

        if (!codec.TryParse(refreshToken, out var sessionId, out var generation))
        {
            return Fail(RotorErrorCodes.RefreshTokenInvalid);
        }

        var now = time.GetUtcNow();
        var rotated = await store.TryRotateAsync(sessionId, generation, now, now + _options.RefreshTokenLifetime, cancellationToken);
        if (rotated is not null)
        {
            metrics.Refreshed("rotated");
            var user = new RotorUserInfo(rotated.UserId, rotated.UserName, rotated.Email);
            return RefreshResult.Success(Issue(user, sessionId, rotated.Generation, rotated.IdleExpiresAt, now));
        }

        var session = await store.FindAsync(sessionId, cancellationToken);
        if (session is null)
        {
            return Fail(RotorErrorCodes.RefreshTokenInvalid);
        }

        if (session.RevokedAt is not null)
        {
            return Fail(RotorErrorCodes.SessionRevoked);
        }

        if (session.ExpiresAt <= now || session.IdleExpiresAt <= now)
        {
            return Fail(RotorErrorCodes.RefreshTokenExpired);
        }

                if (generation == session.Generation)
        {
            // The session was live and at this generation but the swap did not apply: it changed between the
            // two statements (another instance rotated and revoked it back, or a clock edge). Refusing is safe
            // and the client simply signs in again; retrying could loop.
            return Fail(RotorErrorCodes.RefreshTokenInvalid);
        }

        if (generation == session.Generation - 1 && session.RotatedAt is { } rotatedAt && now - rotatedAt <= _options.RotationGracePeriod)
        {
            metrics.Refreshed("grace");
            return RefreshResult.Success(Issue(new RotorUserInfo(session.UserId, session.UserName, session.Email), sessionId, session.Generation, session.IdleExpiresAt, now));
        }

        if (generation < session.Generation)
        {
            var evt = Event(SecurityEventTypes.RefreshTokenReused, session.UserId, sessionId, client, now, $"generation {generation} presented; current {session.Generation}");
            await store.RevokeAsync(sessionId, null, RevocationReasons.TokenReuse, evt, cancellationToken);
            revocations.Add(sessionId, now);
            metrics.ReuseDetected();
            RotorLog.ReuseDetected(logger, sessionId, session.UserId, generation, session.Generation);
            return Fail(RotorErrorCodes.RefreshTokenReused);
        }

        // A generation the server never issued for this row: the database was restored from an older copy.
        return Fail(RotorErrorCodes.RefreshTokenInvalid);
    }

    /// <summary>Revokes one session; with <paramref name="userId"/>, only if it is that user's.</summary>
    public async Task<bool> RevokeAsync(Guid sessionId, string? userId, string reason, ClientInfo client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var type = reason == RevocationReasons.Logout ? SecurityEventTypes.Logout : SecurityEventTypes.SessionRevoked;
        var revoked = await store.RevokeAsync(sessionId, userId, reason, Event(type, userId, sessionId, client, now, reason), cancellationToken);
        if (revoked)
        {
            revocations.Add(sessionId, now);
            RotorLog.SessionRevoked(logger, sessionId, reason);
        }

        return revoked;
    }

    /// <summary>Revokes every session of a user except <paramref name="except"/>.</summary>
    public async Task<int> RevokeAllAsync(string userId, Guid? except, string reason, ClientInfo client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ids = await store.RevokeAllAsync(userId, except, reason, Event(SecurityEventTypes.SessionRevoked, userId, except, client, now, reason), cancellationToken);
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

    private SessionTokens Issue(RotorUserInfo user, Guid sessionId, long generation, DateTimeOffset refreshExpiresAt, DateTimeOffset now)
    {
        var access = issuer.Issue(user.Id, user.UserName, user.Email, sessionId, now);
        return new SessionTokens(access.Token, access.ExpiresAt, codec.Create(sessionId, generation), refreshExpiresAt, sessionId, user);
    }

    private RefreshResult Fail(string code)
    {
        metrics.RefreshFailed(code);
        RotorLog.RefreshRefused(logger, code);
        return RefreshResult.Failure(code);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

using Microsoft.Extensions.Logging;

namespace Rotor.Client.Internal;

/// <summary>
/// What a <see cref="RotorSessionHandler"/> needs of a session, and no more: which requests get the token, the current
/// tokens, and one shared refresh when they are about to expire or were refused. The handler keeps no state of its own.
/// </summary>
internal interface IRotorAccessTokenSource
{
    /// <summary>The clock token expiry is measured on.</summary>
    TimeProvider Time { get; }

    /// <summary>Where the handler logs.</summary>
    ILogger Logger { get; }

    /// <summary>The largest request body buffered so the request can be retried after a refresh.</summary>
    long MaxBufferedContentLength { get; }

    /// <summary>The current state: tokens (or none), and when to refresh them.</summary>
    SessionState Current { get; }

    /// <summary>Whether a request to <paramref name="uri"/> carries the access token (trusted origin, path not excluded).</summary>
    bool ShouldAuthorize(Uri? uri);

    /// <summary>Completes when the token store has been read once.</summary>
    Task EnsureLoadedAsync(CancellationToken cancellationToken);

    /// <summary>Whether a refresh failed moments ago and the next one waits, so a still-valid token should be used as it is.</summary>
    bool IsBackingOff(DateTimeOffset now);

    /// <summary>
    /// A state newer than <paramref name="used"/>, whose tokens expired or were refused: the current one when another
    /// request has already renewed them, else the result of the one refresh in flight. Throws
    /// <see cref="RotorSessionExpiredException"/> when the server ended the session, <see cref="RotorRefreshFailedException"/>
    /// when the refresh failed otherwise.
    /// </summary>
    Task<SessionState> RefreshAsync(SessionState used, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the request's <c>Authorization</c> header (replacing any) for <paramref name="state"/>'s access token, and
    /// its <c>DPoP</c> proof when the token is DPoP-bound.
    /// </summary>
    void Authorize(HttpRequestMessage request, SessionState state);

    /// <summary>
    /// For a DPoP-bound request: keeps the answer's <c>DPoP-Nonce</c> for the request's origin, and says whether the
    /// answer asks for the request again with it (<c>use_dpop_nonce</c>).
    /// </summary>
    bool IsNonceChallenge(HttpRequestMessage request, HttpResponseMessage response);
}

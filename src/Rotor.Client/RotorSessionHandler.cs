using System.Net;
using System.Net.Http.Json;
using Rotor.Client.Internal;

namespace Rotor.Client;

/// <summary>
/// Sends requests with a <see cref="RotorSession"/>'s access token and keeps it fresh.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Only requests to the session's server origin (or <see cref="RotorSessionOptions.TrustedOrigins"/>) whose path is
/// not in <see cref="RotorSessionOptions.ExcludedPaths"/> get <c>Authorization: Bearer</c> (or, for a DPoP-bound session,
/// <c>Authorization: DPoP</c> and a <c>DPoP</c> proof for that request); the handler owns those headers on them and
/// replaces any value already there. Other requests, and all requests while signed out, pass through untouched,
/// and a 401 from them is returned as it is. So is a 401 from another origin that an inner handler's redirect led to: the
/// request is not retried there with the token (the inner handler itself drops <c>Authorization</c> on a redirect).</item>
/// <item>Proactive: when the token expires within <see cref="RotorSessionOptions.RefreshMargin"/> the session refreshes
/// before the request goes out. If that refresh fails while the token is still valid, the request goes out with it.</item>
/// <item>Reactive: a 401 renews the tokens once and the request is retried once with the same method, headers and body; a
/// second 401 goes back to the caller. A body that cannot be replayed is buffered first up to
/// <see cref="RotorSessionOptions.MaxBufferedContentLength"/>; beyond that the request is not retried.</item>
/// <item>However many requests need new tokens at once, one refresh goes out and the others wait for it; a caller's
/// cancellation ends only its own wait. A refresh refused with 401 fails every waiter with
/// <see cref="RotorSessionExpiredException"/>; any other failure with <see cref="RotorRefreshFailedException"/>.</item>
/// <item>DPoP (<see cref="RotorSessionOptions.UseDpop"/>): a 401 asking for a new nonce (<c>use_dpop_nonce</c>) is answered
/// by sending the request once more with a proof carrying it; refused again, the 401 goes to the caller without a refresh.</item>
/// </list>
/// The handler holds no state of its own, so <c>IHttpClientFactory</c> may create and drop instances at will.
/// </remarks>
public sealed class RotorSessionHandler : DelegatingHandler
{
    private const string AuthorizationHeader = "Authorization";
    private readonly IRotorAccessTokenSource _source;

    /// <summary>Creates a handler for <paramref name="session"/>; set <see cref="DelegatingHandler.InnerHandler"/> unless a factory does.</summary>
    /// <param name="session">The session whose tokens the requests carry.</param>
    public RotorSessionHandler(RotorSession session)
        : this((IRotorAccessTokenSource)session ?? throw new ArgumentNullException(nameof(session)))
    {
    }

    internal RotorSessionHandler(IRotorAccessTokenSource source) => _source = source;

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = _source;
        if (!source.ShouldAuthorize(request.RequestUri))
        {
            return base.SendAsync(request, cancellationToken);
        }

        // The common case, kept free of async machinery and allocations: a fresh bearer token and a replayable body.
        var state = source.Current;
        if (state.Tokens is null || state.Signer is not null || source.Time.GetUtcNow() >= state.RefreshAt || !IsReplayable(request.Content))
        {
            return SendSlowAsync(request, cancellationToken);
        }

        source.Authorize(request, state);
        var sending = base.SendAsync(request, cancellationToken);
        if (sending.IsCompletedSuccessfully && sending.Result.StatusCode != HttpStatusCode.Unauthorized)
        {
            return sending;
        }

        return RetryIfUnauthorizedAsync(request, state, sending, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendSlowAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await _source.EnsureLoadedAsync(cancellationToken);
        var state = _source.Current;
        if (state.Tokens is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var canRetry = await PrepareContentAsync(request, cancellationToken);
        var now = _source.Time.GetUtcNow();
        // While a failed refresh is backing off, a still-valid token is used as it is instead of failing again.
        if (now >= state.RefreshAt && !(now < state.Tokens.ExpiresAt && _source.IsBackingOff(now)))
        {
            var before = state;
            try
            {
                state = await _source.RefreshAsync(state, cancellationToken);
            }
            catch (RotorRefreshFailedException) when (_source.Time.GetUtcNow() < before.Tokens.ExpiresAt)
            {
                Log.UsingTokenAfterFailedRefresh(_source.Logger, before.Tokens.ExpiresAt);
                state = before;
            }

            if (state.Tokens is null)
            {
                return await SendWithoutSessionAsync(request, state, cancellationToken);
            }
        }

        var response = await SendAuthorizedAsync(request, state, canRetry, cancellationToken);
        // A nonce the server still refuses is its answer on the proof, not on the token: no refresh for it.
        return response.StatusCode == HttpStatusCode.Unauthorized && !(state.Signer is not null && DpopNonces.NamesNonceError(response))
            ? await RetryAsync(request, state, response, canRetry, cancellationToken)
            : response;
    }

    /// <summary>
    /// Sends with <paramref name="state"/>'s token. A DPoP-bound request that the server answers with
    /// <c>use_dpop_nonce</c> is sent once more with a new proof carrying the nonce it gave (when its body can be replayed
    /// and it is still addressed to an origin that gets the token); that second answer goes back as it is.
    /// </summary>
    private async Task<HttpResponseMessage> SendAuthorizedAsync(HttpRequestMessage request, SessionState state, bool canRetry, CancellationToken cancellationToken)
    {
        _source.Authorize(request, state);
        var response = await base.SendAsync(request, cancellationToken);
        if (state.Signer is null || !_source.IsNonceChallenge(request, response) || !canRetry || !_source.ShouldAuthorize(request.RequestUri))
        {
            return response;
        }

        Log.DpopNonceRetry(_source.Logger, request.RequestUri!.AbsolutePath);
        response.Dispose();
        _source.Authorize(request, state);
        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> RetryIfUnauthorizedAsync(HttpRequestMessage request, SessionState used, Task<HttpResponseMessage> sending, CancellationToken cancellationToken)
    {
        var response = await sending;
        return response.StatusCode == HttpStatusCode.Unauthorized
            ? await RetryAsync(request, used, response, canRetry: true, cancellationToken)
            : response;
    }

    private async Task<HttpResponseMessage> RetryAsync(HttpRequestMessage request, SessionState used, HttpResponseMessage unauthorized, bool canRetry, CancellationToken cancellationToken)
    {
        // An inner handler that followed a redirect has changed the request's address: a 401 from an origin the token
        // does not go to says nothing about the token, and the request must not be sent there again with it.
        if (!_source.ShouldAuthorize(request.RequestUri))
        {
            return unauthorized;
        }

        SessionState renewed;
        try
        {
            renewed = await _source.RefreshAsync(used, cancellationToken);
        }
        catch
        {
            unauthorized.Dispose();
            throw;
        }

        if (renewed.Tokens is null)
        {
            if (renewed.EndReason is { } reason)
            {
                unauthorized.Dispose();
                throw new RotorSessionExpiredException(reason);
            }

            // Signed out meanwhile: the 401 is the honest answer.
            return unauthorized;
        }

        if (!canRetry)
        {
            return unauthorized;
        }

        unauthorized.Dispose();
        // Retried once only (a DPoP nonce request aside): whatever this answers, 401 included, goes to the caller.
        return await SendAuthorizedAsync(request, renewed, canRetry: true, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendWithoutSessionAsync(HttpRequestMessage request, SessionState state, CancellationToken cancellationToken)
    {
        if (state.EndReason is { } reason)
        {
            throw new RotorSessionExpiredException(reason);
        }

        request.Headers.Remove(AuthorizationHeader);
        return await base.SendAsync(request, cancellationToken);
    }

    private static bool IsReplayable(HttpContent? content) =>
        content is null or ByteArrayContent or ReadOnlyMemoryContent or JsonContent;

    private async ValueTask<bool> PrepareContentAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = request.Content;
        if (IsReplayable(content))
        {
            return true;
        }

        if (content!.Headers.ContentLength is long length && length <= _source.MaxBufferedContentLength)
        {
            await content.LoadIntoBufferAsync(_source.MaxBufferedContentLength, cancellationToken);
            return true;
        }

        Log.NotReplayable(_source.Logger, request.Method);
        return false;
    }
}

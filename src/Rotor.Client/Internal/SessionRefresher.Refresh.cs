using System.Net;

namespace Rotor.Client.Internal;

// The single refresh: however many requests need new tokens, one request goes to the server and all wait for it.
internal sealed partial class SessionRefresher
{
    /// <summary>
    /// Gets a state newer than <paramref name="seen"/>, whose tokens needed replacing: the current one when another
    /// request has already replaced them, else the result of the one refresh in flight, started here if need be.
    /// The caller's <paramref name="cancellationToken"/> ends only its own wait.
    /// </summary>
    public Task<SessionState> RefreshAsync(SessionState seen, CancellationToken cancellationToken)
    {
        TaskCompletionSource<SessionState>? started = null;
        Task<SessionState> task;
        lock (_gate)
        {
            var current = _state;
            if (current.Version != seen.Version || current.Tokens is null)
            {
                return Task.FromResult(current);
            }

            if (_refresh is null)
            {
                if (_backoff.FailureDuringWait(_time.GetUtcNow()) is { } failure)
                {
                    return Task.FromException<SessionState>(failure);
                }

                started = _refresh = new TaskCompletionSource<SessionState>(TaskCreationOptions.RunContinuationsAsynchronously);
                // Every waiter may have given up by the time it fails; mark the failure observed.
                _refresh.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            task = _refresh.Task;
        }

        if (started is not null)
        {
            _ = RunRefreshAsync(seen, started);
        }

        return cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task;
    }

    private async Task RunRefreshAsync(SessionState from, TaskCompletionSource<SessionState> completion)
    {
        var tokens = from.Tokens!;
        Log.Refreshing(_logger, tokens.SessionId);
        try
        {
            using var timeout = new CancellationTokenSource(_refreshTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposed);
            HttpResponseMessage response;
            try
            {
                response = await _api.RefreshAsync(tokens, linked.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !_disposed.IsCancellationRequested))
            {
                Fail(from, completion, null, null, ex);
                return;
            }

            using (response)
            {
                var receivedAt = _time.GetUtcNow();
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    var problem = await RotorApiClient.ReadProblemAsync(response, linked.Token);
                    if (problem?.Code == DpopNonces.NonceError)
                    {
                        // Still asking for a nonce after the retry with its nonce: the server's nonce moved on meanwhile,
                        // not the end of the session. Tried again after the back-off, with the nonce it just sent.
                        Fail(from, completion, response.StatusCode, _api.RetryAfter(response), null);
                        return;
                    }

                    await EndAsync(from, completion, problem?.Code ?? "refresh_rejected");
                    return;
                }

                if (!response.IsSuccessStatusCode)
                {
                    Fail(from, completion, response.StatusCode, _api.RetryAfter(response), null);
                    return;
                }

                var renewed = await _api.ReadTokensAsync(response, receivedAt, tokens.Signer, signIn: false, linked.Token);
                if (renewed is null)
                {
                    Fail(from, completion, response.StatusCode, null, new HttpRequestException("The Rotor server's refresh answer was malformed."));
                    return;
                }

                await SucceedAsync(from, completion, renewed);
            }
        }
#pragma warning disable CA1031 // Whatever went wrong, the waiters must be released rather than left hanging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (_gate)
            {
                if (ReferenceEquals(_refresh, completion))
                {
                    _refresh = null;
                }
            }

            completion.TrySetException(ex is OperationCanceledException && _disposed.IsCancellationRequested
                ? new ObjectDisposedException(nameof(RotorSession))
                : new RotorRefreshFailedException("The Rotor session could not refresh its access token.", ex));
        }
    }

    private async Task SucceedAsync(SessionState from, TaskCompletionSource<SessionState> completion, RotorTokens renewed)
    {
        SessionState result;
        var applied = false;
        lock (_gate)
        {
            if (_state.Version == from.Version)
            {
                _state = SessionState.SignedIn(renewed, from.Version + 1, _margin);
                _backoff.Reset();
                applied = true;
            }

            // Otherwise a login or logout came first; it wins and these tokens are dropped.
            result = _state;
            _refresh = null;
        }

        if (applied)
        {
            // Stored before anyone uses the new token: a crash after this cannot leave the rotated-away
            // refresh token on disk, which the server would treat as reuse.
            await PersistAsync();
            Log.Refreshed(_logger, renewed.SessionId, renewed.ExpiresAt);
        }

        completion.TrySetResult(result);
    }

    private async Task EndAsync(SessionState from, TaskCompletionSource<SessionState> completion, string reason)
    {
        bool ended;
        SessionState current;
        lock (_gate)
        {
            ended = _state.Version == from.Version;
            if (ended)
            {
                _state = SessionState.Ended(from.Version + 1, reason);
            }

            current = _state;
            _refresh = null;
        }

        if (!ended)
        {
            // A new login replaced the session being refreshed; its waiters can go on with the new one.
            completion.TrySetResult(current);
            return;
        }

        await PersistAsync();
        _api.ExpireCookies();
        Log.SessionEnded(_logger, from.Tokens!.SessionId, reason);
        completion.TrySetException(new RotorSessionExpiredException(reason));
        _onEnded(reason, from.Tokens.User);
    }

    private void Fail(SessionState from, TaskCompletionSource<SessionState> completion, HttpStatusCode? status, TimeSpan? retryAfter, Exception? cause)
    {
        RotorRefreshFailedException failure;
        DateTimeOffset retryAt;
        lock (_gate)
        {
            (failure, retryAt) = _backoff.Start(_time.GetUtcNow(), status, retryAfter, cause);
            _refresh = null;
        }

        Log.RefreshFailed(_logger, cause, from.Tokens!.SessionId, (int?)status, retryAt);
        completion.TrySetException(failure);
    }
}

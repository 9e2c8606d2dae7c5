using Microsoft.Extensions.Logging;

namespace Rotor.Client.Internal;

/// <summary>
/// The session's state machine: holds the current <see cref="SessionState"/>, makes every transition (loaded, signed in,
/// refreshed, ended, signed out) under one lock, and runs the single refresh that any number of requests wait for.
/// Each change is written to the token store before the new tokens are handed out.
/// </summary>
internal sealed partial class SessionRefresher
{
    private readonly object _gate = new();
    private readonly RotorApiClient _api;
    private readonly SessionPersistence _persistence;
    private readonly Func<RotorTokens?> _latestTokens;
    private readonly Action<string, RotorUser> _onEnded;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _disposed;
    private readonly TimeSpan _margin;
    private readonly TimeSpan _refreshTimeout;
    private readonly RefreshBackoff _backoff;

    private volatile SessionState _state = SessionState.Unloaded;
    private TaskCompletionSource<SessionState>? _refresh;
    private Task? _loading;

    // onEnded is called once the server has ended the session, after every waiter has been failed.
    public SessionRefresher(RotorSessionOptions options, RotorApiClient api, SessionPersistence persistence, Action<string, RotorUser> onEnded,
        TimeProvider time, ILogger logger, CancellationToken disposed)
    {
        _api = api;
        _persistence = persistence;
        _latestTokens = () => _state.Tokens;
        _onEnded = onEnded;
        _time = time;
        _logger = logger;
        _disposed = disposed;
        _margin = options.RefreshMargin;
        _refreshTimeout = options.RefreshTimeout;
        _backoff = new RefreshBackoff(options.RefreshBackoff, options.MaxRefreshBackoff);
    }

    public SessionState Current => _state;

    public Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_state.IsLoaded)
        {
            return Task.CompletedTask;
        }

        Task loading;
        lock (_gate)
        {
            // Run the store off the caller's thread and outside the lock; it may do I/O.
            loading = _loading ??= Task.Run(LoadAsync, CancellationToken.None);
        }

        return cancellationToken.CanBeCanceled ? loading.WaitAsync(cancellationToken) : loading;
    }

    public bool IsBackingOff(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _refresh is null && _backoff.IsActive(now);
        }
    }

    /// <summary>Replaces any session with <paramref name="tokens"/> from a login, and stores them.</summary>
    public async Task SignInAsync(RotorTokens tokens)
    {
        lock (_gate)
        {
            _state = SessionState.SignedIn(tokens, _state.Version + 1, _margin);
            _backoff.Reset();
        }

        await PersistAsync();
    }

    /// <summary>Forgets the tokens and the stored copy; returns the state they were in.</summary>
    public async Task<SessionState> SignOutAsync()
    {
        SessionState previous;
        lock (_gate)
        {
            previous = _state;
            _state = SessionState.SignedOut(previous.Version + 1);
        }

        await PersistAsync();
        return previous;
    }

    /// <summary>
    /// Puts a reauthentication's access token into the session, keeping the refresh token. A refresh in flight is
    /// waited for first and never overridden: its rotated refresh token must be kept, or the next refresh would
    /// present a rotated-away token, which the server takes for theft. Returns <c>null</c> with the state that
    /// replaced the session when it was signed out, ended or replaced meanwhile.
    /// </summary>
    public async Task<(RotorTokens? Applied, SessionState Current)> ApplyReauthenticationAsync(string sessionId, TokenResponse body, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<SessionState>? inFlight;
            RotorTokens? applied = null;
            SessionState current;
            lock (_gate)
            {
                current = _state;
                inFlight = _refresh?.Task;
                if (inFlight is null && current.Tokens is { } tokens && tokens.SessionId == sessionId)
                {
                    applied = new RotorTokens
                    {
                        AccessToken = body.AccessToken!,
                        RefreshToken = tokens.RefreshToken,
                        ReceivedAt = receivedAt,
                        ExpiresAt = receivedAt + TimeSpan.FromSeconds(body.ExpiresIn),
                        SessionId = sessionId,
                        User = body.User!,
                        // The session keeps its key: its refresh token stays bound to it whatever this access token is.
                        TokenType = tokens.DpopKey is not null && RotorApiClient.IsDpop(body.TokenType) ? "DPoP" : "Bearer",
                        DpopKey = tokens.DpopKey,
                        Signer = tokens.Signer,
                    };
                    _state = SessionState.SignedIn(applied, current.Version + 1, _margin);
                }
            }

            if (applied is not null)
            {
                await PersistAsync();
                return (applied, _state);
            }

            if (inFlight is null)
            {
                return (null, current);
            }

            try
            {
                await inFlight.WaitAsync(cancellationToken);
            }
#pragma warning disable CA1031 // Its outcome, whatever it is, is in the session's state, read on the next turn.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
            }
        }
    }

    private async Task LoadAsync()
    {
        var tokens = await _persistence.LoadAsync(_disposed);
        lock (_gate)
        {
            if (!_state.IsLoaded)
            {
                _state = tokens is null ? SessionState.SignedOut(_state.Version + 1) : SessionState.SignedIn(tokens, _state.Version + 1, _margin);
            }
        }
    }

    private Task PersistAsync() => _persistence.WriteLatestAsync(_latestTokens);
}

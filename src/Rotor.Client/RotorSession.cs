using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rotor.Client.Internal;

namespace Rotor.Client;

/// <summary>
/// One user's session with a Rotor server: signs in and out, keeps the tokens, and renews the access token for the
/// <see cref="RotorSessionHandler"/>s that send the app's requests. Thread-safe; one instance per signed-in user.
/// </summary>
/// <remarks>
/// Without dependency injection:
/// <code>
/// using var session = new RotorSession(new RotorSessionOptions { ServerAddress = new Uri("https://auth.example.com/") });
/// using var http = new HttpClient(session.CreateHandler()) { BaseAddress = new Uri("https://auth.example.com/") };
/// await session.LoginAsync("alice", password);
/// var me = await http.GetStringAsync("users/me");
/// </code>
/// With <c>IHttpClientFactory</c>, use <c>AddHttpClient(...).AddRotorSession(...)</c> and take the session from the container.
/// </remarks>
public sealed partial class RotorSession : IDisposable
{
    private const string RequestedWithHeader = "X-Requested-With";
    private const string RequestedWithValue = "Rotor.Client";

    private readonly Uri _server;
    private readonly Uri _loginUri;
    private readonly Uri _refreshUri;
    private readonly Uri _logoutUri;
    private readonly Uri _logoutAllUri;
    private readonly RotorSessionMode _mode;
    private readonly TimeSpan _margin;
    private readonly TimeSpan _backoff;
    private readonly TimeSpan _maxBackoff;
    private readonly TimeSpan _refreshTimeout;
    private readonly IRotorTokenStore _store;
    private readonly Backchannel _backchannel;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _storeLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();

    private volatile SessionState _state = SessionState.Unloaded;
    private TaskCompletionSource<SessionState>? _refresh;
    private Task? _loading;
    private DateTimeOffset _backoffUntil;
    private RotorRefreshFailedException? _lastFailure;

    /// <summary>Creates a session that is used without dependency injection.</summary>
    /// <param name="options">The settings; checked now.</param>
    /// <param name="authHandler">
    /// The handler for the session's own calls to the server (login, refresh, logout). Default: a new
    /// <see cref="SocketsHttpHandler"/> owned by the session. A handler passed here is not disposed by the session and
    /// should not keep cookies (<c>UseCookies = false</c>): the session keeps them in <see cref="Cookies"/>. The session's
    /// calls never follow redirects: the session sets <c>AllowAutoRedirect = false</c> on the
    /// <see cref="SocketsHttpHandler"/> or <see cref="HttpClientHandler"/> at the bottom of the handler's chain, and
    /// refuses any answer that comes from another origin than the one it called.
    /// </param>
    /// <param name="timeProvider">The clock for token expiry and back-off. Default: <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the session logs. Default: nowhere.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is wrong; the message says which and how.</exception>
    /// <exception cref="ArgumentException"><paramref name="authHandler"/> follows redirects and has already sent requests, so it can no longer be changed.</exception>
    public RotorSession(RotorSessionOptions options, HttpMessageHandler? authHandler = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(options, "", authHandler is null ? new HandlerBackchannel(BackchannelHandlers.CreateDefault(), disposeHandler: true) : new HandlerBackchannel(WithoutRedirects(authHandler), disposeHandler: false), timeProvider, loggerFactory)
    {
    }

    internal RotorSession(RotorSessionOptions options, string name, Backchannel backchannel, TimeProvider? timeProvider, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            RotorSessionOptionsValidator.ThrowIfInvalid(name, options);
        }
        catch
        {
            backchannel.Dispose();
            throw;
        }

        var server = options.ServerAddress!;
        _server = server.AbsolutePath.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        _loginUri = new Uri(_server, "auth/login");
        _refreshUri = new Uri(_server, "auth/refresh");
        _logoutUri = new Uri(_server, "auth/logout");
        _logoutAllUri = new Uri(_server, "auth/logout-all");
        _mode = options.Mode;
        _margin = options.RefreshMargin;
        _backoff = options.RefreshBackoff;
        _maxBackoff = options.MaxRefreshBackoff;
        _refreshTimeout = options.RefreshTimeout;
        MaxBufferedContentLength = options.MaxBufferedContentLength;
        Filter = new RequestFilter(_server, options.TrustedOrigins, options.ExcludedPaths);
        _store = options.TokenStore ?? new RotorMemoryTokenStore();
        _backchannel = backchannel;
        Time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger<RotorSession>() ?? (ILogger)NullLogger.Instance;
        Logger = _logger;
    }

    /// <summary>
    /// Raised once when the server ends the session (a refresh answered 401: revoked elsewhere, expired, or a reused
    /// token). The tokens are already cleared; ask the user to sign in again. It is raised on the thread that ran the
    /// refresh, after every waiting request has been failed; a handler that throws is logged and ignored.
    /// </summary>
    public event EventHandler<RotorSessionExpiredEventArgs>? SessionExpired;

    /// <summary>The signed-in user, or <c>null</c>. Before the first request or <see cref="RestoreAsync"/> a stored session is not read yet.</summary>
    public RotorUser? CurrentUser => _state.Tokens?.User;

    /// <summary>Whether the session holds tokens (a refresh may still find that the server has ended it).</summary>
    public bool IsSignedIn => _state.Tokens is not null;

    /// <summary>The server's id of the current session, or <c>null</c>.</summary>
    public string? SessionId => _state.Tokens?.SessionId;

    /// <summary>The cookies the server set; in <see cref="RotorSessionMode.Cookie"/> mode this holds the refresh cookie.</summary>
    public CookieContainer Cookies { get; } = new();

    internal SessionState State => _state;

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal RequestFilter Filter { get; }

    internal long MaxBufferedContentLength { get; }

    /// <summary>Creates a handler that sends requests with this session's access token.</summary>
    /// <param name="innerHandler">The handler that sends the requests on. Default: a new <see cref="SocketsHttpHandler"/>.</param>
    /// <returns>A handler to give to <see cref="HttpClient"/>; disposing it disposes <paramref name="innerHandler"/>, not the session.</returns>
    public RotorSessionHandler CreateHandler(HttpMessageHandler? innerHandler = null) =>
        new(this) { InnerHandler = innerHandler ?? CreateDefaultHandler() };

    /// <summary>
    /// Reads a stored session from the token store, so <see cref="CurrentUser"/> is known before the first request.
    /// The first request does it anyway; calling it again does nothing.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait (the read itself goes on).</param>
    /// <returns>A task that completes when the store has been read.</returns>
    public Task RestoreAsync(CancellationToken cancellationToken = default) => EnsureLoadedAsync(cancellationToken);

    /// <summary>Signs in with a username (or email) and password, replacing any current session.</summary>
    /// <param name="username">The username or email.</param>
    /// <param name="password">The password, sent as it is.</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    /// <returns>
    /// The outcome: the user, or the server's refusal (<c>invalid_credentials</c>, <c>locked_out</c>, ...). When the
    /// account has two-step sign-in, <see cref="RotorLoginResult.MfaRequired"/> is set: ask for a code and call
    /// <see cref="CompleteMfaAsync"/> with <see cref="RotorLoginResult.MfaChallenge"/>.
    /// </returns>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<RotorLoginResult> LoginAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        await EnsureLoadedAsync(cancellationToken);

        var body = new LoginRequest(username, password, _mode == RotorSessionMode.Native ? "native" : null);
        using var request = new HttpRequestMessage(HttpMethod.Post, _loginUri)
        {
            Content = JsonContent.Create(body, RotorJsonContext.Default.LoginRequest),
        };
        using var response = await SendToServerAsync(request, cancellationToken);
        return await SignInAsync(response, cancellationToken);
    }

    /// <summary>
    /// Signs out: forgets the tokens at once, then asks the server to revoke this session. Does not raise
    /// <see cref="SessionExpired"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call to the server (the tokens are forgotten all the same).</param>
    /// <returns><c>true</c> when the server confirmed; <c>false</c> when there was no session or the server could not be told.</returns>
    public async Task<bool> LogoutAsync(CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        SessionState previous;
        lock (_gate)
        {
            previous = _state;
            _state = SessionState.SignedOut(previous.Version + 1);
        }

        await PersistAsync();
        if (previous.Tokens is null && _mode == RotorSessionMode.Native)
        {
            return false;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _logoutUri)
        {
            Content = JsonContent.Create(new RefreshRequest(previous.Tokens?.RefreshToken), RotorJsonContext.Default.RefreshRequest),
        };
        if (previous.AuthorizationValue is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", previous.AuthorizationValue);
        }

        request.Headers.TryAddWithoutValidation(RequestedWithHeader, RequestedWithValue);
        var sessionId = previous.Tokens?.SessionId ?? "(cookie)";
        try
        {
            using var response = await SendToServerAsync(request, cancellationToken);
            Log.SignedOut(_logger, sessionId, response.StatusCode);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException ex)
        {
            Log.SignOutNotDelivered(_logger, ex, sessionId);
            return false;
        }
        finally
        {
            ExpireCookies();
        }
    }

    /// <summary>
    /// Signs out of every session of the user on every device (<c>POST /auth/logout-all</c>), this one included, and
    /// forgets the tokens. Does not raise <see cref="SessionExpired"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><c>true</c> when the server revoked the sessions; <c>false</c> when not signed in or the server refused.</returns>
    /// <exception cref="RotorSessionExpiredException">The session had already ended on the server.</exception>
    /// <exception cref="RotorRefreshFailedException">The access token needed renewing and the refresh failed.</exception>
    public async Task<bool> LogoutEverywhereAsync(CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        var state = _state;
        if (state.Tokens is null)
        {
            return false;
        }

        if (Time.GetUtcNow() >= state.RefreshAt)
        {
            state = await RefreshAsync(state, cancellationToken);
        }

        for (var attempt = 0; state.Tokens is not null; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _logoutAllUri);
            request.Headers.TryAddWithoutValidation("Authorization", state.AuthorizationValue);
            using var response = await SendToServerAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                state = await RefreshAsync(state, cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            lock (_gate)
            {
                _state = SessionState.SignedOut(_state.Version + 1);
            }

            await PersistAsync();
            ExpireCookies();
            Log.SignedOut(_logger, state.Tokens.SessionId, response.StatusCode);
            return true;
        }

        return false;
    }

    /// <summary>Stops any refresh in flight and releases the session's own connection handler.</summary>
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        // The token source and the store lock are left undisposed: a refresh or a store write may still be
        // finishing and must see cancellation rather than ObjectDisposedException. Neither holds a native resource.
        _disposed.Cancel();
        _backchannel.Dispose();
    }

    internal bool IsBackingOff(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _refresh is null && _lastFailure is not null && now < _backoffUntil;
        }
    }

    internal Task EnsureLoadedAsync(CancellationToken cancellationToken)
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

    /// <summary>
    /// Gets a state newer than <paramref name="seen"/>, whose tokens needed replacing: the current one when another
    /// request has already replaced them, else the result of the one refresh in flight, started here if need be.
    /// The caller's <paramref name="cancellationToken"/> ends only its own wait.
    /// </summary>
    internal Task<SessionState> RefreshAsync(SessionState seen, CancellationToken cancellationToken)
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
                if (_lastFailure is { } failure && Time.GetUtcNow() < _backoffUntil)
                {
                    return Task.FromException<SessionState>(new RotorRefreshFailedException(
                        "The Rotor session's last refresh failed moments ago and it is waiting before the next; the session is kept.",
                        failure.InnerException, failure.StatusCode, failure.RetryAfter));
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
            using var timeout = new CancellationTokenSource(_refreshTimeout, Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposed.Token);
            using var request = new HttpRequestMessage(HttpMethod.Post, _refreshUri)
            {
                Content = JsonContent.Create(new RefreshRequest(tokens.RefreshToken), RotorJsonContext.Default.RefreshRequest),
            };
            request.Headers.TryAddWithoutValidation(RequestedWithHeader, RequestedWithValue);

            HttpResponseMessage response;
            try
            {
                response = await SendToServerAsync(request, linked.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !_disposed.IsCancellationRequested))
            {
                await FailAsync(from, completion, null, null, ex);
                return;
            }

            using (response)
            {
                var receivedAt = Time.GetUtcNow();
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    var problem = await ReadProblemAsync(response, linked.Token);
                    await EndAsync(from, completion, problem?.Code ?? "refresh_rejected");
                    return;
                }

                if (!response.IsSuccessStatusCode)
                {
                    await FailAsync(from, completion, response.StatusCode, RetryAfter(response), null);
                    return;
                }

                var renewed = await ReadTokensAsync(response, receivedAt, linked.Token);
                if (renewed is null)
                {
                    await FailAsync(from, completion, response.StatusCode, null, new HttpRequestException("The Rotor server's refresh answer was malformed."));
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
                _lastFailure = null;
                _backoffUntil = default;
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
        ExpireCookies();
        Log.SessionEnded(_logger, from.Tokens!.SessionId, reason);
        completion.TrySetException(new RotorSessionExpiredException(reason));
        try
        {
            SessionExpired?.Invoke(this, new RotorSessionExpiredEventArgs(reason, from.Tokens.User));
        }
#pragma warning disable CA1031 // An app's handler must not break the session.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SessionExpiredHandlerFailed(_logger, ex);
        }
    }

    private Task FailAsync(SessionState from, TaskCompletionSource<SessionState> completion, HttpStatusCode? status, TimeSpan? retryAfter, Exception? cause)
    {
        var wait = retryAfter is { } asked ? (asked > _backoff ? (asked < _maxBackoff ? asked : _maxBackoff) : _backoff) : _backoff;
        var retryAt = Time.GetUtcNow() + wait;
        var message = status is { } s
            ? $"The Rotor server answered the refresh with {(int)s}; the session is kept and will try again."
            : "The Rotor server could not be reached for a refresh; the session is kept and will try again.";
        var failure = new RotorRefreshFailedException(message, cause, status, retryAfter);
        lock (_gate)
        {
            _lastFailure = failure;
            _backoffUntil = retryAt;
            _refresh = null;
        }

        Log.RefreshFailed(_logger, cause, from.Tokens!.SessionId, (int?)status, retryAt);
        completion.TrySetException(failure);
        return Task.CompletedTask;
    }

    private async Task LoadAsync()
    {
        RotorTokens? tokens = null;
        try
        {
            tokens = await _store.LoadAsync(_disposed.Token);
        }
#pragma warning disable CA1031 // An unreadable store means "not signed in", not a broken app.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.StoreFailed(_logger, ex, "load");
        }

        lock (_gate)
        {
            if (!_state.IsLoaded)
            {
                _state = tokens is null ? SessionState.SignedOut(_state.Version + 1) : SessionState.SignedIn(tokens, _state.Version + 1, _margin);
            }
        }
    }

    /// <summary>Writes the current state to the store; writes are serialised and always write the latest state.</summary>
    private async Task PersistAsync()
    {
        await _storeLock.WaitAsync(CancellationToken.None);
        try
        {
            var tokens = _state.Tokens;
            if (tokens is null)
            {
                await _store.ClearAsync(CancellationToken.None);
            }
            else
            {
                await _store.SaveAsync(tokens, CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // The session goes on in memory; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.StoreFailed(_logger, ex, "save");
        }
        finally
        {
            _storeLock.Release();
        }
    }

    /// <summary>Sends one of the session's own requests, carrying and collecting cookies itself.</summary>
    private async Task<HttpResponseMessage> SendToServerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var uri = request.RequestUri!;
        var cookieHeader = Cookies.GetCookieHeader(uri);
        if (cookieHeader.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
        }

        var response = await _backchannel.SendAsync(request, cancellationToken);
        if (BackchannelHandlers.AnsweredFromElsewhere(uri, response))
        {
            // A handler the session could not configure followed a redirect: nothing from that answer is believed.
            response.Dispose();
            Log.RedirectFollowed(_logger, uri.AbsolutePath);
            throw new HttpRequestException($"The answer to {uri.AbsolutePath} came from another origin: a handler followed a redirect. The session's own calls must not follow redirects (AllowAutoRedirect = false).");
        }

        if ((int)response.StatusCode is >= 300 and < 400)
        {
            // Never followed (the body would go with it); a failure like a server error, not the end of the session.
            Log.RedirectRefused(_logger, uri.AbsolutePath, (int)response.StatusCode);
        }

        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                try
                {
                    Cookies.SetCookies(uri, setCookie);
                }
                catch (CookieException)
                {
                    // A cookie the container cannot hold (bad domain or path) is one the server did not mean for us.
                }
            }
        }

        return response;
    }

    private void ExpireCookies()
    {
        foreach (Cookie cookie in Cookies.GetAllCookies())
        {
            cookie.Expired = true;
        }
    }

    private async Task<RotorTokens?> ReadTokensAsync(HttpResponseMessage response, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var body = await ReadTokenBodyAsync(response, cancellationToken);
        if (body is null || string.IsNullOrEmpty(body.SessionId) || (_mode == RotorSessionMode.Native && string.IsNullOrEmpty(body.RefreshToken)))
        {
            return null;
        }

        return new RotorTokens
        {
            AccessToken = body.AccessToken!,
            RefreshToken = _mode == RotorSessionMode.Native ? body.RefreshToken : null,
            ReceivedAt = receivedAt,
            ExpiresAt = receivedAt + TimeSpan.FromSeconds(body.ExpiresIn),
            SessionId = body.SessionId,
            User = body.User!,
        };
    }

    private static async Task<ProblemResponse?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(RotorJsonContext.Default.ProblemResponse, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - Time.GetUtcNow() is { } d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    private static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        // Cookies are the session's business (Cookies); a handler-level jar would double them.
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.All,
    };

    private static HttpMessageHandler WithoutRedirects(HttpMessageHandler authHandler) =>
        BackchannelHandlers.TryConfigure(authHandler, turnOffCookies: false)
            ? authHandler
            : throw new ArgumentException("The handler for the session's own calls follows redirects and has already sent requests, so the session cannot turn that off; pass a handler with AllowAutoRedirect = false.", nameof(authHandler));
}

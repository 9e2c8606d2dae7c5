using System.Net;
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
public sealed partial class RotorSession : IDisposable, IRotorAccessTokenSource
{
    private readonly RotorSessionMode _mode;
    private readonly RotorApiClient _api;
    private readonly SessionRefresher _refresher;
    private readonly RequestFilter _filter;
    private readonly long _maxBufferedContentLength;
    private readonly bool _useDpop;
    private readonly DpopNonces _nonces = new();
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();

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
        server = server.AbsolutePath.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        _mode = options.Mode;
        _maxBufferedContentLength = options.MaxBufferedContentLength;
        _useDpop = options.UseDpop;
        _filter = new RequestFilter(server, options.TrustedOrigins, options.ExcludedPaths);
        Time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger<RotorSession>() ?? (ILogger)NullLogger.Instance;
        _api = new RotorApiClient(server, _mode, backchannel, _nonces, Time, _logger, _disposed.Token);
        var persistence = new SessionPersistence(options.TokenStore ?? new RotorMemoryTokenStore(), _logger);
        _refresher = new SessionRefresher(options, _api, persistence, RaiseSessionExpired, Time, _logger, _disposed.Token);
    }

    /// <summary>
    /// Raised once when the server ends the session (a refresh answered 401: revoked elsewhere, expired, or a reused
    /// token). The tokens are already cleared; ask the user to sign in again. It is raised on the thread that ran the
    /// refresh, after every waiting request has been failed; a handler that throws is logged and ignored.
    /// </summary>
    public event EventHandler<RotorSessionExpiredEventArgs>? SessionExpired;

    /// <summary>The signed-in user, or <c>null</c>. Before the first request or <see cref="RestoreAsync"/> a stored session is not read yet.</summary>
    public RotorUser? CurrentUser => State.Tokens?.User;

    /// <summary>Whether the session holds tokens (a refresh may still find that the server has ended it).</summary>
    public bool IsSignedIn => State.Tokens is not null;

    /// <summary>The server's id of the current session, or <c>null</c>.</summary>
    public string? SessionId => State.Tokens?.SessionId;

    /// <summary>The cookies the server set; in <see cref="RotorSessionMode.Cookie"/> mode this holds the refresh cookie.</summary>
    public CookieContainer Cookies => _api.Cookies;

    internal SessionState State => _refresher.Current;

    internal TimeProvider Time { get; }

    TimeProvider IRotorAccessTokenSource.Time => Time;

    ILogger IRotorAccessTokenSource.Logger => _logger;

    long IRotorAccessTokenSource.MaxBufferedContentLength => _maxBufferedContentLength;

    SessionState IRotorAccessTokenSource.Current => _refresher.Current;

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
    public Task RestoreAsync(CancellationToken cancellationToken = default) => _refresher.EnsureLoadedAsync(cancellationToken);

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
        await _refresher.EnsureLoadedAsync(cancellationToken);
        var key = NewDpopKey();
        using var response = await _api.LoginAsync(username, password, key, cancellationToken);
        return await SignInAsync(response, key, cancellationToken);
    }

    /// <summary>
    /// Signs out: forgets the tokens at once, then asks the server to revoke this session. Does not raise
    /// <see cref="SessionExpired"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call to the server (the tokens are forgotten all the same).</param>
    /// <returns><c>true</c> when the server confirmed; <c>false</c> when there was no session or the server could not be told.</returns>
    public async Task<bool> LogoutAsync(CancellationToken cancellationToken = default)
    {
        await _refresher.EnsureLoadedAsync(cancellationToken);
        var previous = await _refresher.SignOutAsync();
        if (previous.Tokens is null && _mode == RotorSessionMode.Native)
        {
            return false;
        }

        var sessionId = previous.Tokens?.SessionId ?? "(cookie)";
        try
        {
            using var response = await _api.LogoutAsync(previous, cancellationToken);
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
            _api.ExpireCookies();
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
        await _refresher.EnsureLoadedAsync(cancellationToken);
        var state = State;
        if (state.Tokens is null)
        {
            return false;
        }

        if (Time.GetUtcNow() >= state.RefreshAt)
        {
            state = await _refresher.RefreshAsync(state, cancellationToken);
        }

        for (var attempt = 0; state.Tokens is not null; attempt++)
        {
            using var response = await _api.LogoutEverywhereAsync(state, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                state = await _refresher.RefreshAsync(state, cancellationToken);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            await _refresher.SignOutAsync();
            _api.ExpireCookies();
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

        // The token source is left undisposed: a refresh or a store write may still be finishing and must see
        // cancellation rather than ObjectDisposedException. It holds no native resource.
        _disposed.Cancel();
        _api.Dispose();
    }

    bool IRotorAccessTokenSource.ShouldAuthorize(Uri? uri) => _filter.ShouldAuthorize(uri);

    Task IRotorAccessTokenSource.EnsureLoadedAsync(CancellationToken cancellationToken) => _refresher.EnsureLoadedAsync(cancellationToken);

    bool IRotorAccessTokenSource.IsBackingOff(DateTimeOffset now) => _refresher.IsBackingOff(now);

    Task<SessionState> IRotorAccessTokenSource.RefreshAsync(SessionState used, CancellationToken cancellationToken) => _refresher.RefreshAsync(used, cancellationToken);

    void IRotorAccessTokenSource.Authorize(HttpRequestMessage request, SessionState state)
    {
        var headers = request.Headers;
        headers.Remove("Authorization");
        // A raw string shared by every request with this token: no parsing, no per-request header object.
        headers.TryAddWithoutValidation("Authorization", state.AuthorizationValue);
        if (state.Signer is { } signer)
        {
            // A proof per send, retries included: each has its own jti, and the latest nonce of the request's origin.
            var uri = request.RequestUri!;
            headers.Remove("DPoP");
            headers.TryAddWithoutValidation("DPoP", signer.CreateProof(request.Method, uri, state.AccessTokenHash, _nonces.For(uri), Time.GetUtcNow()));
        }
    }

    bool IRotorAccessTokenSource.IsNonceChallenge(HttpRequestMessage request, HttpResponseMessage response)
    {
        // Nonces are kept only for the origins proofs go to, so an answer from anywhere else cannot fill the table.
        var uri = request.RequestUri;
        return uri is not null && _filter.IsTrustedOrigin(uri) && DpopNonces.IsNonceChallenge(response, _nonces.Remember(uri, response), bodyError: null);
    }

    /// <summary>A fresh key for a sign-in when <see cref="RotorSessionOptions.UseDpop"/> is on: one key per session, never reused.</summary>
    private DpopSigner? NewDpopKey() => _useDpop ? DpopSigner.Generate() : null;

    private void RaiseSessionExpired(string reason, RotorUser user)
    {
        try
        {
            SessionExpired?.Invoke(this, new RotorSessionExpiredEventArgs(reason, user));
        }
#pragma warning disable CA1031 // An app's handler must not break the session.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SessionExpiredHandlerFailed(_logger, ex);
        }
    }

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

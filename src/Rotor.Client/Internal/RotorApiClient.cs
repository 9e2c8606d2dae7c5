using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Rotor.Client.Internal;

/// <summary>
/// The session's own calls to the Rotor server (login, second step, refresh, reauthentication, logout): builds each
/// request, carries the cookie jar, never believes an answer from another origin, and reads the answers (tokens,
/// problem details, <c>Retry-After</c>), and signs a DPoP proof for each call of a bound session (one retry when the
/// server asks for a new nonce). Holds no session state: callers pass the tokens a call is made with.
/// </summary>
internal sealed partial class RotorApiClient : IDisposable
{
    private const string RequestedWithHeader = "X-Requested-With";
    private const string RequestedWithValue = "Rotor.Client";
    private const string DpopHeader = "DPoP";

    private readonly Uri _loginUri;
    private readonly Uri _mfaUri;
    private readonly Uri _refreshUri;
    private readonly Uri _reauthenticateUri;
    private readonly Uri _logoutUri;
    private readonly Uri _logoutAllUri;
    private readonly Backchannel _backchannel;
    private readonly DpopNonces _nonces;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _disposed;

    public RotorApiClient(Uri server, RotorSessionMode mode, Backchannel backchannel, DpopNonces nonces, TimeProvider time, ILogger logger, CancellationToken disposed)
    {
        _loginUri = new Uri(server, "auth/login");
        _mfaUri = new Uri(server, "auth/login/mfa");
        _refreshUri = new Uri(server, "auth/refresh");
        _reauthenticateUri = new Uri(server, "auth/reauthenticate");
        _logoutUri = new Uri(server, "auth/logout");
        _logoutAllUri = new Uri(server, "auth/logout-all");
        Mode = mode;
        _backchannel = backchannel;
        _nonces = nonces;
        _time = time;
        _logger = logger;
        _disposed = disposed;
    }

    public RotorSessionMode Mode { get; }

    /// <summary>The cookies the server set; in cookie mode this holds the refresh cookie.</summary>
    public CookieContainer Cookies { get; } = new();

    /// <summary>Signs in; with a DPoP proof by <c>key</c>, the new session's key, when binding it (<see cref="RotorSessionOptions.UseDpop"/>).</summary>
    public Task<HttpResponseMessage> LoginAsync(string username, string password, DpopSigner? key, CancellationToken cancellationToken) =>
        SendAsync(() => Post(_loginUri, JsonContent.Create(new LoginRequest(username, password, Mode == RotorSessionMode.Native ? "native" : null), RotorJsonContext.Default.LoginRequest)), key, null, cancellationToken);

    public Task<HttpResponseMessage> CompleteMfaAsync(string challenge, string? code, string? recoveryCode, DpopSigner? key, CancellationToken cancellationToken) =>
        SendAsync(() => Post(_mfaUri, JsonContent.Create(new MfaLoginRequest(challenge, code, recoveryCode), RotorJsonContext.Default.MfaLoginRequest)), key, null, cancellationToken);

    public Task<HttpResponseMessage> RefreshAsync(RotorTokens tokens, CancellationToken cancellationToken) =>
        SendAsync(() =>
        {
            var request = Post(_refreshUri, JsonContent.Create(new RefreshRequest(tokens.RefreshToken), RotorJsonContext.Default.RefreshRequest));
            request.Headers.TryAddWithoutValidation(RequestedWithHeader, RequestedWithValue);
            return request;
        }, tokens.Signer, null, cancellationToken);

    public Task<HttpResponseMessage> ReauthenticateAsync(SessionState state, string password, string? code, CancellationToken cancellationToken) =>
        SendAsync(() =>
        {
            var request = Post(_reauthenticateUri, JsonContent.Create(new ReauthenticateRequest(password, code), RotorJsonContext.Default.ReauthenticateRequest));
            request.Headers.TryAddWithoutValidation("Authorization", state.AuthorizationValue);
            return request;
        }, state.Tokens?.Signer, state.AccessTokenHash, cancellationToken);

    /// <summary>Revokes the session <paramref name="previous"/> held: its refresh token in the body (native) or the cookie.</summary>
    public Task<HttpResponseMessage> LogoutAsync(SessionState previous, CancellationToken cancellationToken) =>
        SendAsync(() =>
        {
            var request = Post(_logoutUri, JsonContent.Create(new RefreshRequest(previous.Tokens?.RefreshToken), RotorJsonContext.Default.RefreshRequest));
            if (previous.AuthorizationValue is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", previous.AuthorizationValue);
            }

            request.Headers.TryAddWithoutValidation(RequestedWithHeader, RequestedWithValue);
            return request;
        }, previous.Tokens?.Signer, previous.AccessTokenHash, cancellationToken);

    public Task<HttpResponseMessage> LogoutEverywhereAsync(SessionState state, CancellationToken cancellationToken) =>
        SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, _logoutAllUri);
            request.Headers.TryAddWithoutValidation("Authorization", state.AuthorizationValue);
            return request;
        }, state.Tokens?.Signer, state.AccessTokenHash, cancellationToken);

    public void ExpireCookies()
    {
        foreach (Cookie cookie in Cookies.GetAllCookies())
        {
            cookie.Expired = true;
        }
    }

    public void Dispose() => _backchannel.Dispose();

    private static HttpRequestMessage Post(Uri uri, HttpContent content) => new(HttpMethod.Post, uri) { Content = content };

    /// <summary>
    /// Sends one of the session's own requests, built by <paramref name="build"/>, with a DPoP proof when there is a
    /// <paramref name="key"/>. When the server answers that proof with <c>use_dpop_nonce</c>, the request is built and
    /// sent once more with the nonce it gave; whatever that answers goes back to the caller.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, DpopSigner? key, string? accessTokenHash, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var request = build();
            var uri = request.RequestUri!;
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation(DpopHeader, key.CreateProof(request.Method, uri, accessTokenHash, _nonces.For(uri), _time.GetUtcNow()));
            }

            var response = await SendAsync(request, cancellationToken);
            if (key is null)
            {
                return response;
            }

            var nonce = _nonces.Remember(uri, response);
            if (attempt > 0 || !await IsNonceChallengeAsync(response, nonce, cancellationToken))
            {
                return response;
            }

            Log.DpopNonceRetry(_logger, uri.AbsolutePath);
            response.Dispose();
        }
    }

    private static async Task<bool> IsNonceChallengeAsync(HttpResponseMessage response, string? nonce, CancellationToken cancellationToken)
    {
        if (nonce is null || response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized))
        {
            return false;
        }

        if (DpopNonces.NamesNonceError(response))
        {
            return true;
        }

        // Buffered, so the caller can still read the body when this is another refusal.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var problem = await ReadProblemAsync(response, cancellationToken);
        return DpopNonces.IsNonceChallenge(response, nonce, problem?.Code ?? problem?.Error);
    }

    /// <summary>Sends one of the session's own requests (and disposes it), carrying and collecting cookies itself.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, typeof(RotorSession));

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

            KeepCookies(uri, response);
            return response;
        }
    }

    private void KeepCookies(Uri uri, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            return;
        }

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
}

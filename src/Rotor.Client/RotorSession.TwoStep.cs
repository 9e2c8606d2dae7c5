using System.Net;
using System.Net.Http.Json;
using Rotor.Client.Internal;

namespace Rotor.Client;

// Two-step sign-in (a second factor after the password) and reauthentication (a fresh proof for sensitive actions).
public sealed partial class RotorSession
{
    /// <summary>
    /// Finishes a sign-in that <see cref="LoginAsync"/> answered with <see cref="RotorLoginResult.MfaRequired"/>:
    /// sends the challenge with the user's authenticator code or one of their recovery codes
    /// (<c>POST /auth/login/mfa</c>), and on success signs in exactly like <see cref="LoginAsync"/>, replacing any
    /// current session.
    /// </summary>
    /// <param name="challenge">The <see cref="RotorLoginResult.MfaChallenge"/> of the login answer.</param>
    /// <param name="code">The code from the authenticator app, or <c>null</c> when <paramref name="recoveryCode"/> is given.</param>
    /// <param name="recoveryCode">A recovery code (each works once), or <c>null</c> when <paramref name="code"/> is given.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// The outcome: the user, or the server's refusal. <c>mfa_code_invalid</c>: the code was wrong, ask again with the
    /// same challenge (a few wrong codes spend it). <c>mfa_challenge_invalid</c>: the challenge is used up or expired;
    /// start again with <see cref="LoginAsync"/>.
    /// </returns>
    /// <exception cref="ArgumentException">Neither or both of <paramref name="code"/> and <paramref name="recoveryCode"/> were given.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<RotorLoginResult> CompleteMfaAsync(string challenge, string? code, string? recoveryCode, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(challenge);
        if ((code is null) == (recoveryCode is null))
        {
            throw new ArgumentException("Pass exactly one of code (from the authenticator app) and recoveryCode.", code is null ? nameof(code) : nameof(recoveryCode));
        }

        await EnsureLoadedAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server, "auth/login/mfa"))
        {
            Content = JsonContent.Create(new MfaLoginRequest(challenge, code, recoveryCode), RotorJsonContext.Default.MfaLoginRequest),
        };
        using var response = await SendToServerAsync(request, cancellationToken);
        return await SignInAsync(response, cancellationToken);
    }

    /// <summary>
    /// Proves the signed-in user's password again (<c>POST /auth/reauthenticate</c>), for an action the server refused
    /// with <c>403 reauthentication_required</c>: the access token is replaced with one carrying a fresh authentication
    /// time; the refresh token and the session stay as they are. Then retry the action.
    /// </summary>
    /// <param name="password">The user's password, sent as it is.</param>
    /// <param name="code">
    /// The authenticator code when the account has two-step sign-in. Without one, such an account is answered with
    /// <see cref="RotorLoginResult.MfaRequired"/> (and no challenge): ask for the code and call again with it.
    /// </param>
    /// <param name="cancellationToken">Cancels the call; the session is unchanged then.</param>
    /// <returns>
    /// The outcome: the user, or the server's refusal (<c>invalid_credentials</c>, <c>mfa_required</c>,
    /// <c>mfa_code_invalid</c>, <c>locked_out</c>, ...). A refusal leaves the session as it was.
    /// </returns>
    /// <exception cref="InvalidOperationException">The session is not signed in, or was signed out or replaced during the call.</exception>
    /// <exception cref="RotorSessionExpiredException">The session had already ended on the server.</exception>
    /// <exception cref="RotorRefreshFailedException">The access token needed renewing and the refresh failed.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    public async Task<RotorLoginResult> ReauthenticateAsync(string password, string? code = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        await EnsureLoadedAsync(cancellationToken);
        var state = _state;
        if (state.Tokens is null)
        {
            throw new InvalidOperationException("The Rotor session is not signed in; sign in with LoginAsync instead of reauthenticating.");
        }

        if (Time.GetUtcNow() >= state.RefreshAt)
        {
            state = await RefreshAsync(state, cancellationToken);
        }

        for (var attempt = 0; ; attempt++)
        {
            var tokens = state.Tokens ?? throw SessionGone(state);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server, "auth/reauthenticate"))
            {
                Content = JsonContent.Create(new ReauthenticateRequest(password, code), RotorJsonContext.Default.ReauthenticateRequest),
            };
            request.Headers.TryAddWithoutValidation("Authorization", state.AuthorizationValue);
            using var response = await SendToServerAsync(request, cancellationToken);
            var receivedAt = Time.GetUtcNow();
            if (!response.IsSuccessStatusCode)
            {
                var refusal = await RefusalAsync(response, cancellationToken);
                if (refusal.ErrorCode == "invalid_token" && attempt == 0)
                {
                    // The access token, not the password, was refused: renew it once and ask again.
                    state = await RefreshAsync(state, cancellationToken);
                    continue;
                }

                Log.ReauthenticationRefused(_logger, (int)refusal.StatusCode, refusal.ErrorCode!);
                return refusal;
            }

            var body = await ReadTokenBodyAsync(response, cancellationToken);
            if (body is null || body.SessionId != tokens.SessionId)
            {
                throw new InvalidOperationException("The Rotor server's reauthentication answer had no accessToken, expiresIn or user, or named another session; is ServerAddress a Rotor server?");
            }

            var renewed = await ApplyReauthenticationAsync(tokens.SessionId, body, receivedAt, cancellationToken);
            Log.Reauthenticated(_logger, renewed.SessionId, renewed.ExpiresAt);
            return RotorLoginResult.Success(response.StatusCode, renewed.User);
        }
    }

    /// <summary>The tail of a sign-in answer, shared by <see cref="LoginAsync"/> and <see cref="CompleteMfaAsync"/>.</summary>
    private async Task<RotorLoginResult> SignInAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var receivedAt = Time.GetUtcNow();
        if (!response.IsSuccessStatusCode)
        {
            var refusal = await RefusalAsync(response, cancellationToken);
            if (refusal.MfaRequired)
            {
                Log.MfaRequired(_logger, string.Join(", ", refusal.MfaMethods));
            }
            else
            {
                Log.LoginRefused(_logger, (int)refusal.StatusCode, refusal.ErrorCode!);
            }

            return refusal;
        }

        var tokens = await ReadTokensAsync(response, receivedAt, cancellationToken)
            ?? throw new InvalidOperationException(_mode == RotorSessionMode.Native
                ? "The Rotor server's login answer had no refreshToken, accessToken or user; is the server a Rotor server that supports native mode?"
                : "The Rotor server's login answer had no accessToken or user; is ServerAddress a Rotor server?");
        lock (_gate)
        {
            _state = SessionState.SignedIn(tokens, _state.Version + 1, _margin);
            _backoffUntil = default;
            _lastFailure = null;
        }

        await PersistAsync();
        Log.SignedIn(_logger, tokens.User.Id, tokens.SessionId);
        return RotorLoginResult.Success(response.StatusCode, tokens.User);
    }

    /// <summary>Turns a refusal into a result. A redirect's body is not read: it is not the server's word on the credentials.</summary>
    private async Task<RotorLoginResult> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if ((int)status is >= 300 and < 400)
        {
            return RotorLoginResult.Failure(status, "http_" + (int)status,
                "The server answered with a redirect, which the session does not follow on its own calls; check ServerAddress.", null);
        }

        var problem = await ReadProblemAsync(response, cancellationToken);
        var code = problem?.Code ?? "http_" + (int)status;
        return code == RotorLoginResult.MfaRequiredCode
            ? RotorLoginResult.Failure(status, code, problem?.Detail, RetryAfter(response), problem?.Challenge, problem?.Methods)
            : RotorLoginResult.Failure(status, code, problem?.Detail, RetryAfter(response));
    }

    /// <summary>
    /// Puts a reauthentication's access token into the session, keeping the refresh token. A refresh in flight is
    /// waited for first and never overridden: its rotated refresh token must be kept, or the next refresh would
    /// present a rotated-away token, which the server takes for theft.
    /// </summary>
    private async Task<RotorTokens> ApplyReauthenticationAsync(string sessionId, TokenResponse body, DateTimeOffset receivedAt, CancellationToken cancellationToken)
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
                    };
                    _state = SessionState.SignedIn(applied, current.Version + 1, _margin);
                }
            }

            if (applied is not null)
            {
                await PersistAsync();
                return applied;
            }

            if (inFlight is null)
            {
                throw SessionGone(current);
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

    /// <summary>Reads a token answer; <c>null</c> unless it has an access token, its lifetime and the user.</summary>
    private static async Task<TokenResponse?> ReadTokenBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        TokenResponse? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync(RotorJsonContext.Default.TokenResponse, cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        return body is null || string.IsNullOrEmpty(body.AccessToken) || body.ExpiresIn <= 0 || body.User is null ? null : body;
    }

    private static Exception SessionGone(SessionState state) => state.EndReason is { } reason
        ? new RotorSessionExpiredException(reason)
        : new InvalidOperationException("The Rotor session was signed out or replaced while reauthenticating; the new access token was dropped.");
}

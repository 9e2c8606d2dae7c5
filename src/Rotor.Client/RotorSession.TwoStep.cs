using System.Net;
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

        await _refresher.EnsureLoadedAsync(cancellationToken);
        var key = NewDpopKey();
        using var response = await _api.CompleteMfaAsync(challenge, code, recoveryCode, key, cancellationToken);
        return await SignInAsync(response, key, cancellationToken);
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
        await _refresher.EnsureLoadedAsync(cancellationToken);
        var state = State;
        if (state.Tokens is null)
        {
            throw new InvalidOperationException("The Rotor session is not signed in; sign in with LoginAsync instead of reauthenticating.");
        }

        if (Time.GetUtcNow() >= state.RefreshAt)
        {
            state = await _refresher.RefreshAsync(state, cancellationToken);
        }

        for (var attempt = 0; ; attempt++)
        {
            var tokens = state.Tokens ?? throw SessionGone(state);
            using var response = await _api.ReauthenticateAsync(state, password, code, cancellationToken);
            var receivedAt = Time.GetUtcNow();
            if (!response.IsSuccessStatusCode)
            {
                var refusal = await _api.RefusalAsync(response, cancellationToken);
                if (refusal.ErrorCode == "invalid_token" && attempt == 0)
                {
                    // The access token, not the password, was refused: renew it once and ask again.
                    state = await _refresher.RefreshAsync(state, cancellationToken);
                    continue;
                }

                Log.ReauthenticationRefused(_logger, (int)refusal.StatusCode, refusal.ErrorCode!);
                return refusal;
            }

            var body = await RotorApiClient.ReadTokenBodyAsync(response, cancellationToken);
            if (body is null || body.SessionId != tokens.SessionId)
            {
                throw new InvalidOperationException("The Rotor server's reauthentication answer had no accessToken, expiresIn or user, or named another session; is ServerAddress a Rotor server?");
            }

            var (renewed, current) = await _refresher.ApplyReauthenticationAsync(tokens.SessionId, body, receivedAt, cancellationToken);
            if (renewed is null)
            {
                throw SessionGone(current);
            }

            Log.Reauthenticated(_logger, renewed.SessionId, renewed.ExpiresAt);
            return RotorLoginResult.Success(response.StatusCode, renewed.User);
        }
    }

    /// <summary>The tail of a sign-in answer, shared by <see cref="LoginAsync"/> and <see cref="CompleteMfaAsync"/>.</summary>
    private async Task<RotorLoginResult> SignInAsync(HttpResponseMessage response, DpopSigner? key, CancellationToken cancellationToken)
    {
        var receivedAt = Time.GetUtcNow();
        if (!response.IsSuccessStatusCode)
        {
            var refusal = await _api.RefusalAsync(response, cancellationToken);
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

        var tokens = await _api.ReadTokensAsync(response, receivedAt, key, signIn: true, cancellationToken)
            ?? throw new InvalidOperationException(_mode == RotorSessionMode.Native
                ? "The Rotor server's login answer had no refreshToken, accessToken or user; is the server a Rotor server that supports native mode?"
                : "The Rotor server's login answer had no accessToken or user; is ServerAddress a Rotor server?");
        await _refresher.SignInAsync(tokens);
        Log.SignedIn(_logger, tokens.User.Id, tokens.SessionId);
        return RotorLoginResult.Success(response.StatusCode, tokens.User);
    }

    private static Exception SessionGone(SessionState state) => state.EndReason is { } reason
        ? new RotorSessionExpiredException(reason)
        : new InvalidOperationException("The Rotor session was signed out or replaced while reauthenticating; the new access token was dropped.");
}

using System.Net.Http.Json;

namespace Rotor.Client.Internal;

// Reading the server's answers: tokens, problem details, Retry-After.
internal sealed partial class RotorApiClient
{
    /// <summary>
    /// Reads a login or refresh answer into tokens; <c>null</c> when it lacks what the mode needs. <paramref name="key"/>
    /// is the session's DPoP key: the tokens keep it, and the access token is DPoP-bound when the server says so. At a
    /// sign-in (<paramref name="signIn"/>) a key the server did not bind the session to is dropped.
    /// </summary>
    public async Task<RotorTokens?> ReadTokensAsync(HttpResponseMessage response, DateTimeOffset receivedAt, DpopSigner? key, bool signIn, CancellationToken cancellationToken)
    {
        var body = await ReadTokenBodyAsync(response, cancellationToken);
        if (body is null || string.IsNullOrEmpty(body.SessionId) || (Mode == RotorSessionMode.Native && string.IsNullOrEmpty(body.RefreshToken)))
        {
            return null;
        }

        var bound = key is not null && IsDpop(body.TokenType);
        if (key is not null && !bound && signIn)
        {
            Log.DpopNotBound(_logger, body.SessionId, body.TokenType ?? "(none)");
            key = null;
        }

        return new RotorTokens
        {
            AccessToken = body.AccessToken!,
            RefreshToken = Mode == RotorSessionMode.Native ? body.RefreshToken : null,
            ReceivedAt = receivedAt,
            ExpiresAt = receivedAt + TimeSpan.FromSeconds(body.ExpiresIn),
            SessionId = body.SessionId,
            User = body.User!,
            TokenType = bound ? "DPoP" : "Bearer",
            DpopKey = key?.PrivateJwk,
            Signer = key,
        };
    }

    /// <summary>Whether a <c>tokenType</c> names a DPoP-bound token.</summary>
    public static bool IsDpop(string? tokenType) => string.Equals(tokenType, "DPoP", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a token answer; <c>null</c> unless it has an access token, its lifetime and the user.</summary>
    public static async Task<TokenResponse?> ReadTokenBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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

    public static async Task<ProblemResponse?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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

    /// <summary>Turns a refusal into a result. A redirect's body is not read: it is not the server's word on the credentials.</summary>
    public async Task<RotorLoginResult> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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

    /// <summary>The server's <c>Retry-After</c> as a wait from now, or <c>null</c> when it gave none.</summary>
    public TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() is { } d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };
}

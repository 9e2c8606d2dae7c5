using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotor.Contracts;
using Rotor.Sessions;

namespace Rotor.Http;

/// <summary>Writes a token answer: never cached; the refresh token in the cookie (browser) or the body (native).</summary>
internal static class TokenResults
{
    public const string Browser = "browser";
    public const string Native = "native";

    public static JsonHttpResult<TokenResponse> Ok(HttpContext context, RefreshCookie cookie, SessionTokens tokens, string mode, DateTimeOffset now)
    {
        NoStore(context.Response);
        string? bodyToken = null;
        if (mode == Native)
        {
            bodyToken = tokens.RefreshToken;
        }
        else
        {
            cookie.Write(context.Response, tokens.RefreshToken, tokens.RefreshTokenExpiresAt);
        }

        var user = tokens.User;
        var response = new TokenResponse(
            tokens.AccessToken,
            tokens.TokenType,
            (int)Math.Max(0, Math.Round((tokens.AccessTokenExpiresAt - now).TotalSeconds)),
            tokens.AccessTokenExpiresAt,
            tokens.SessionId,
            new UserResponse(user.Id, user.UserName, user.Email),
            bodyToken);
        return TypedResults.Json(response, RotorJsonContext.Default.TokenResponse);
    }

    /// <summary>
    /// The session mode a sign-in asks for: browser (the default) or native. When it names neither, adds the
    /// field's message to <paramref name="errors"/> and returns null.
    /// </summary>
    public static string? ParseMode(string? mode, IDictionary<string, string[]> errors)
    {
        var parsed = mode?.ToLowerInvariant() switch
        {
            null or "" or Browser => Browser,
            Native => Native,
            _ => null,
        };
        if (parsed is null)
        {
            errors["mode"] = ["Use \"browser\" (cookie) or \"native\" (refresh token in the body)."];
        }

        return parsed;
    }

    /// <summary>
    /// Starts a session for a user who just proved who they are and answers with its tokens. In a browser that
    /// already holds a refresh cookie, the new session replaces that one (no fixation). With <paramref name="dpopJkt"/>
    /// (the key of the request's valid DPoP proof) the session is bound to that key.
    /// </summary>
    public static async Task<JsonHttpResult<TokenResponse>> SignInAsync(
        HttpContext context, SessionService sessions, RefreshCookie cookie, TimeProvider time, RotorUserInfo user, string mode, ClientInfo client, string? dpopJkt = null)
    {
        var replaces = mode == Browser ? sessions.ReadSessionId(cookie.Read(context.Request, out _)) : null;
        var tokens = await sessions.StartAsync(user, mode, client, replaces, context.RequestAborted, dpopJkt);
        return Ok(context, cookie, tokens, mode, time.GetUtcNow());
    }

    /// <summary>Completes a sign-in's <paramref name="operation"/> with the answer's outcome (and session), and returns the answer.</summary>
    public static Results<JsonHttpResult<TokenResponse>, ProblemHttpResult> Measured(Diagnostics.RotorOperation operation, Results<JsonHttpResult<TokenResponse>, ProblemHttpResult> answer)
    {
        if (answer.Result is JsonHttpResult<TokenResponse> { Value: { } tokens })
        {
            operation.Tag("rotor.session_id", tokens.SessionId.ToString("D"));
        }

        operation.Complete(Diagnostics.RotorOperation.OutcomeOf(answer.Result));
        return answer;
    }

    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}

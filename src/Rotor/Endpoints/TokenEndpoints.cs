using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rotor.Accounts;
using Rotor.Accounts.Mfa;
using Rotor.Contracts;
using Rotor.Dpop;
using Rotor.Diagnostics;
using Rotor.Http;
using Rotor.Security;
using Rotor.Sessions;

namespace Rotor.Endpoints;

/// <summary>Registration, sign-in, refresh and sign-out.</summary>
internal static class TokenEndpoints
{
    public static async Task<Results<JsonHttpResult<UserResponse>, ProblemHttpResult>> RegisterAsync(
        HttpContext context, IRotorAccounts accounts, IOptions<RotorOptions> options)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.RegisterRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await accounts.RegisterAsync(body!.Username, body.Email, body.Password, context.RequestAborted);
        if (!outcome.TryGetValue(out var user, out var error))
        {
            return RotorProblems.For(context, error);
        }

        context.Response.Headers.Location = "/users/me";
        return TypedResults.Json(new UserResponse(user.Id, user.UserName, user.Email), RotorJsonContext.Default.UserResponse, statusCode: 201);
    }

    public static async Task<Results<JsonHttpResult<TokenResponse>, ProblemHttpResult>> LoginAsync(
        HttpContext context, IRotorAccounts accounts, IRotorSignInGate gate, SessionService sessions, RefreshCookie cookie, TimeProvider time, IOptions<RotorOptions> options, RotorMetrics metrics)
    {
        using var operation = metrics.StartLogin("password");
        return TokenResults.Measured(operation, await PasswordSignInAsync(context, accounts, gate, sessions, cookie, time, options));
    }

    private static async Task<Results<JsonHttpResult<TokenResponse>, ProblemHttpResult>> PasswordSignInAsync(
        HttpContext context, IRotorAccounts accounts, IRotorSignInGate gate, SessionService sessions, RefreshCookie cookie, TimeProvider time, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.LoginRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var login = string.IsNullOrWhiteSpace(body!.Username) ? body.Email : body.Username;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(login))
        {
            errors["username"] = ["Enter your username or email address."];
        }

        if (string.IsNullOrEmpty(body.Password))
        {
            errors["password"] = ["Enter your password."];
        }

        var mode = TokenResults.ParseMode(body.Mode, errors);

        if (errors.Count > 0)
        {
            return RotorProblems.For(context, RotorError.Validation(errors));
        }

        // A proof binds the new session to its key (either mode: DPoP is each session's own choice).
        var (dpopRefusal, dpopJkt) = await DpopTokenRequests.ReadAsync(context);
        if (dpopRefusal is not null)
        {
            return dpopRefusal;
        }

        var client = ClientInfo.From(context);
        var outcome = await accounts.PasswordSignInAsync(login!, body.Password!, client, context.RequestAborted);
        if (!outcome.TryGetValue(out var user, out var error))
        {
            return RotorProblems.For(context, error);
        }

        // Identity's confirmation rules and two-step sign-in: no session yet, perhaps a challenge for the second step.
        if (await gate.CheckAsync(user, mode!, client, context.RequestAborted) is { } refusal)
        {
            return RotorProblems.For(context, refusal);
        }

        return await TokenResults.SignInAsync(context, sessions, cookie, time, user, mode!, client, dpopJkt);
    }

    public static async Task<Results<JsonHttpResult<TokenResponse>, ProblemHttpResult>> RefreshAsync(
        HttpContext context, SessionService sessions, RefreshCookie cookie, OriginPolicy origins, TimeProvider time, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.RefreshRequest, options.Value.MaxRequestBodyBytes, optional: true);
        if (problem is not null)
        {
            return problem;
        }

        var cookieToken = cookie.Read(context.Request, out var duplicate);
        var bodyToken = string.IsNullOrEmpty(body?.RefreshToken) ? null : body.RefreshToken;
        if (bodyToken is null && cookieToken is not null)
        {
            if (origins.CheckCookieRequest(context.Request) is { } refusal)
            {
                return RotorProblems.Create(RotorErrorCodes.CsrfRejected, refusal);
            }

            if (duplicate)
            {
                cookie.Clear(context.Response);
                return RotorProblems.For(context, RotorErrorCodes.RefreshTokenInvalid);
            }
        }

        // The transport decides the mode, and the store refuses a session's token arriving by the other one. A
        // request carrying two different sessions' tokens is someone else's token riding along: refuse it.
        if (bodyToken is not null && cookieToken is not null && sessions.ReadSessionId(bodyToken) != sessions.ReadSessionId(cookieToken))
        {
            return RotorProblems.For(context, RotorErrorCodes.RefreshTokenInvalid);
        }

        var (dpopRefusal, dpopJkt) = await DpopTokenRequests.ReadAsync(context);
        if (dpopRefusal is not null)
        {
            return dpopRefusal;
        }

        var mode = bodyToken is not null ? TokenResults.Native : TokenResults.Browser;
        var result = await sessions.RefreshAsync(RefreshAttempt.From(context, bodyToken ?? cookieToken, mode, dpopJkt), context.RequestAborted);
        if (!result.TryGetValue(out var tokens, out var error))
        {
            // A bound session refused for want of its key's proof goes on: its cookie stays where it is.
            if (mode == TokenResults.Browser && cookieToken is not null && error.Code != RotorErrorCodes.InvalidDpopProof)
            {
                cookie.Clear(context.Response);
            }

            return RotorProblems.For(context, error);
        }

        return TokenResults.Ok(context, cookie, tokens, mode, time.GetUtcNow());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(
        HttpContext context, SessionService sessions, RefreshCookie cookie, OriginPolicy origins, IOptions<RotorOptions> options)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.RefreshRequest, options.Value.MaxRequestBodyBytes, optional: true);
        if (problem is not null)
        {
            return problem;
        }

        var token = body?.RefreshToken;
        var fromCookie = false;
        if (string.IsNullOrEmpty(token))
        {
            token = cookie.Read(context.Request, out _);
            fromCookie = token is not null;
            if (fromCookie && origins.CheckCookieRequest(context.Request) is { } refusal)
            {
                return RotorProblems.Create(RotorErrorCodes.CsrfRejected, refusal);
            }
        }

        var client = ClientInfo.From(context);
        if (sessions.ReadSessionId(token) is { } sessionId)
        {
            await sessions.RevokeAsync(sessionId, null, RevocationReasons.Logout, client, context.RequestAborted);
        }
        else
        {
            var auth = await context.AuthenticateAsync(RotorAuthenticationDefaults.AuthenticationScheme);
            if (auth.Succeeded && auth.Principal.GetSessionId() is { } sid && auth.Principal.GetUserId() is { } userId)
            {
                await sessions.RevokeAsync(sid, userId, RevocationReasons.Logout, client, context.RequestAborted);
            }
        }

        if (fromCookie || cookie.IsPresent(context.Request))
        {
            cookie.Clear(context.Response);
        }

        return TypedResults.NoContent();
    }

    public static async Task<NoContent> LogoutAllAsync(HttpContext context, SessionService sessions, RefreshCookie cookie)
    {
        var userId = context.User.GetUserId()!;
        await sessions.RevokeAllAsync(userId, null, RevocationReasons.LogoutAll, ClientInfo.From(context), context.RequestAborted);
        if (cookie.IsPresent(context.Request))
        {
            cookie.Clear(context.Response);
        }

        return TypedResults.NoContent();
    }
}

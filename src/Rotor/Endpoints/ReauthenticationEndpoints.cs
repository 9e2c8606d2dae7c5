using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rotor.Accounts;
using Rotor.Contracts;
using Rotor.Http;
using Rotor.Security;
using Rotor.Sessions;

namespace Rotor.Endpoints;

/// <summary>Recent authentication: proving who one is again, and the email change that needs it.</summary>
internal static class ReauthenticationEndpoints
{
    public static async Task<Results<JsonHttpResult<TokenResponse>, ProblemHttpResult>> ReauthenticateAsync(
        HttpContext context, IRotorReauthentication reauthentication, TimeProvider time, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.ReauthenticateRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(body!.Password))
        {
            return RotorProblems.Create(RotorError.Invalid("password", "Enter your password."));
        }

        if (context.User.GetSessionId() is not { } sessionId)
        {
            return RotorProblems.Create(RotorErrorCodes.InvalidToken);
        }

        var dpopJkt = context.User.GetDpopThumbprint();
        var outcome = await reauthentication.ReauthenticateAsync(
            context.User.GetUserId()!, sessionId, body.Password, body.Code, ClientInfo.From(context), context.RequestAborted, dpopJkt);
        if (!outcome.TryGetValue(out var proof, out var error))
        {
            return RotorProblems.For(context, error);
        }

        var (user, token) = proof;
        var now = time.GetUtcNow();
        return TypedResults.Json(
            new TokenResponse(
                token.Token,
                dpopJkt is null ? "Bearer" : RotorAuthenticationDefaults.DpopScheme,
                (int)Math.Max(0, Math.Round((token.ExpiresAt - now).TotalSeconds)),
                token.ExpiresAt,
                sessionId,
                new UserResponse(user.Id, user.UserName, user.Email),
                null),
            RotorJsonContext.Default.TokenResponse);
    }

    public static async Task<Results<JsonHttpResult<UserResponse>, ProblemHttpResult>> ChangeEmailAsync(
        HttpContext context, IRotorEmailChange emails, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.EmailRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await emails.ChangeEmailAsync(context.User.GetUserId()!, context.User.GetSessionId(), body!.Email, ClientInfo.From(context), context.RequestAborted);
        if (!outcome.TryGetValue(out var user, out var error))
        {
            return RotorProblems.For(context, error);
        }

        return TypedResults.Json(new UserResponse(user.Id, user.UserName, user.Email), RotorJsonContext.Default.UserResponse);
    }
}

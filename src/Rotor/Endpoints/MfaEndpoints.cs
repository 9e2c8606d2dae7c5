using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rotor.Accounts.Mfa;
using Rotor.Contracts;
using Rotor.Dpop;
using Rotor.Diagnostics;
using Rotor.Http;
using Rotor.Security;
using Rotor.Sessions;

namespace Rotor.Endpoints;

/// <summary>Two-step sign-in: the second step of a sign-in, and the signed-in user's settings.</summary>
internal static class MfaEndpoints
{
    public static async Task<Results<JsonHttpResult<TokenResponse>, ProblemHttpResult>> LoginMfaAsync(
        HttpContext context, IRotorSignInGate gate, SessionService sessions, RefreshCookie cookie, TimeProvider time, IOptions<RotorOptions> options, RotorMetrics metrics)
    {
        using var operation = metrics.StartLogin("mfa");
        return TokenResults.Measured(operation, await SecondStepAsync(context, gate, sessions, cookie, time, options));
    }

    private static async Task<Results<JsonHttpResult<TokenResponse>, ProblemHttpResult>> SecondStepAsync(
        HttpContext context, IRotorSignInGate gate, SessionService sessions, RefreshCookie cookie, TimeProvider time, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.LoginMfaRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var code = string.IsNullOrWhiteSpace(body!.Code) ? null : body.Code;
        var recoveryCode = string.IsNullOrWhiteSpace(body.RecoveryCode) ? null : body.RecoveryCode;
        if ((code is null) == (recoveryCode is null))
        {
            const string Message = "Send either the authenticator code or a recovery code.";
            return RotorProblems.For(context, RotorError.Validation(new Dictionary<string, string[]> { ["code"] = [Message], ["recoveryCode"] = [Message] }));
        }

        // The session starts here, so this step's proof is the one that binds it.
        var (dpopRefusal, dpopJkt) = await DpopTokenRequests.ReadAsync(context);
        if (dpopRefusal is not null)
        {
            return dpopRefusal;
        }

        var client = ClientInfo.From(context);
        var outcome = await gate.CompleteAsync(body.Challenge ?? "", code, recoveryCode, client, context.RequestAborted);
        if (!outcome.TryGetValue(out var signIn, out var error))
        {
            return RotorProblems.For(context, error);
        }

        return await TokenResults.SignInAsync(context, sessions, cookie, time, signIn.User, signIn.Mode, client, dpopJkt);
    }

    public static async Task<Results<JsonHttpResult<MfaStatusResponse>, ProblemHttpResult>> StatusAsync(HttpContext context, IRotorMfaManager mfa)
    {
        TokenResults.NoStore(context.Response);
        var outcome = await mfa.StatusAsync(context.User.GetUserId()!, context.RequestAborted);
        return outcome.TryGetValue(out var status, out var error)
            ? TypedResults.Json(status, RotorJsonContext.Default.MfaStatusResponse)
            : RotorProblems.For(context, error);
    }

    public static async Task<Results<JsonHttpResult<MfaSetupResponse>, ProblemHttpResult>> SetupAsync(HttpContext context, IRotorMfaManager mfa)
    {
        TokenResults.NoStore(context.Response);
        var outcome = await mfa.SetupAsync(context.User.GetUserId()!, context.User.GetSessionId(), ClientInfo.From(context), context.RequestAborted);
        return outcome.TryGetValue(out var setup, out var error)
            ? TypedResults.Json(setup, RotorJsonContext.Default.MfaSetupResponse)
            : RotorProblems.For(context, error);
    }

    public static async Task<Results<JsonHttpResult<RecoveryCodesResponse>, ProblemHttpResult>> EnableAsync(HttpContext context, IRotorMfaManager mfa, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.MfaCodeRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.Code))
        {
            return RotorProblems.Create(RotorError.Invalid("code", "Enter the 6-digit code the authenticator app shows."));
        }

        var outcome = await mfa.EnableAsync(context.User.GetUserId()!, context.User.GetSessionId(), body.Code, ClientInfo.From(context), context.RequestAborted);
        if (!outcome.TryGetValue(out var codes, out var error))
        {
            var refused = RotorProblems.For(context, error);
            if (error.Code == RotorErrorCodes.MfaCodeInvalid)
            {
                // The contract answers a wrong code while enrolling with 400: the caller is signed in, and a 401
                // would read as "sign in again".
                refused.ProblemDetails.Status = StatusCodes.Status400BadRequest;
            }

            return refused;
        }

        return TypedResults.Json(codes, RotorJsonContext.Default.RecoveryCodesResponse);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DisableAsync(HttpContext context, IRotorMfaManager mfa)
    {
        var outcome = await mfa.DisableAsync(context.User.GetUserId()!, context.User.GetSessionId(), ClientInfo.From(context), context.RequestAborted);
        return outcome.Error is { } error ? RotorProblems.For(context, error) : TypedResults.NoContent();
    }

    public static async Task<Results<JsonHttpResult<RecoveryCodesResponse>, ProblemHttpResult>> RecoveryCodesAsync(HttpContext context, IRotorMfaManager mfa)
    {
        TokenResults.NoStore(context.Response);
        var outcome = await mfa.RegenerateRecoveryCodesAsync(context.User.GetUserId()!, context.User.GetSessionId(), ClientInfo.From(context), context.RequestAborted);
        return outcome.TryGetValue(out var codes, out var error)
            ? TypedResults.Json(codes, RotorJsonContext.Default.RecoveryCodesResponse)
            : RotorProblems.For(context, error);
    }
}

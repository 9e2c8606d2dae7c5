using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Rotor.Accounts;
using Rotor.Accounts.Mfa;
using Rotor.Contracts;
using Rotor.Dpop;
using Rotor.Http;
using Rotor.Security;
using Rotor.Sessions;
using Rotor.Storage;

namespace Rotor.Endpoints;

/// <summary>The account lifecycle: availability, email verification, forgotten and changed passwords, username, security log.</summary>
internal static class AccountEndpoints
{
    public static async Task<Results<JsonHttpResult<AvailabilityResponse>, ProblemHttpResult>> AvailabilityAsync(HttpContext context, IRotorAccountLifecycle accounts)
    {
        TokenResults.NoStore(context.Response);
        var username = First(context.Request.Query["username"]);
        var email = First(context.Request.Query["email"]);
        if (username is null && email is null)
        {
            return Invalid("username", "Ask about a username (?username=), an email address (?email=), or both.");
        }

        var answer = await accounts.CheckAvailabilityAsync(username, email, context.RequestAborted);
        return TypedResults.Json(answer, RotorJsonContext.Default.AvailabilityResponse);
    }

    /// <summary>
    /// Confirms an address with its emailed code. Signs in (200, the login answer) only when the address is the one
    /// the account registered with under required verification; a changed address is just confirmed (204). Every
    /// refusal, including an address without an account or not being confirmed, is the same <c>otp_invalid</c>.
    /// </summary>
    public static async Task<Results<JsonHttpResult<TokenResponse>, NoContent, ProblemHttpResult>> VerifyOtpAsync(
        HttpContext context, IRotorAccountLifecycle accounts, IRotorSignInGate gate, SessionService sessions, RefreshCookie cookie, TimeProvider time, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.VerifyOtpRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body!.Email))
        {
            errors["email"] = ["Enter the email address you signed up with."];
        }

        var code = body.Code?.Trim() ?? "";
        if (!AccountSecrets.IsCode(code))
        {
            errors["code"] = ["The code is the 6 digits from the email."];
        }

        var mode = TokenResults.ParseMode(body.Mode, errors);

        if (errors.Count > 0)
        {
            return RotorProblems.For(context, RotorError.Validation(errors));
        }

        var (dpopRefusal, dpopJkt) = await DpopTokenRequests.ReadAsync(context);
        if (dpopRefusal is not null)
        {
            return dpopRefusal;
        }

        var client = ClientInfo.From(context);
        var outcome = await accounts.VerifyEmailAsync(body.Email!, code, client, context.RequestAborted);
        if (!outcome.TryGetValue(out var verified, out var error))
        {
            return RotorProblems.For(context, error);
        }

        if (!verified.SignIn)
        {
            return TypedResults.NoContent();
        }

        // Right after registration, verifying signs in exactly as a password sign-in does: two-step sign-in still
        // asks for its second step.
        if (await gate.CheckAsync(verified.User, mode!, client, context.RequestAborted) is { } refusal)
        {
            return RotorProblems.For(context, refusal);
        }

        return await TokenResults.SignInAsync(context, sessions, cookie, time, verified.User, mode!, client, dpopJkt);
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ResendOtpAsync(HttpContext context, IRotorAccountLifecycle accounts, IOptions<RotorOptions> options)
    {
        var (email, problem) = await ReadEmailAsync(context, options);
        if (problem is not null)
        {
            return problem;
        }

        accounts.RequestVerificationCode(email!);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ForgotPasswordAsync(HttpContext context, IRotorAccountLifecycle accounts, IOptions<RotorOptions> options)
    {
        var (email, problem) = await ReadEmailAsync(context, options);
        if (problem is not null)
        {
            return problem;
        }

        // Only queued here: whether the address has an account is looked at by the mail worker, so the answer
        // and its timing are the same either way.
        accounts.RequestPasswordReset(email!);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ResetPasswordAsync(HttpContext context, IRotorAccountLifecycle accounts, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.ResetPasswordRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(body!.Token))
        {
            return NoResetToken();
        }

        if (string.IsNullOrEmpty(body.NewPassword))
        {
            return Invalid("newPassword", "Choose a new password.");
        }

        var outcome = await accounts.ResetPasswordAsync(body.Token, body.NewPassword, ClientInfo.From(context), context.RequestAborted);
        return outcome.Error is { } error ? RotorProblems.For(context, error) : TypedResults.NoContent();
    }

    /// <summary>
    /// <c>POST /auth/reset-password/check</c>: whether the link still works, so the page can say so before the new
    /// password is typed. Answers 204, or the reset's own problem for the link; never spends it.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> CheckResetTokenAsync(HttpContext context, IRotorAccountLifecycle accounts, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.ResetTokenCheckRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(body!.Token))
        {
            return NoResetToken();
        }

        var outcome = await accounts.CheckResetTokenAsync(body.Token, context.RequestAborted);
        return outcome.Error is { } error ? RotorProblems.For(context, error) : TypedResults.NoContent();
    }

    private static ProblemHttpResult NoResetToken() =>
        RotorProblems.Create(RotorErrorCodes.ResetTokenInvalid, "The reset link has no token. Open the link from the email again, or ask for a new one.");

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(HttpContext context, IRotorAccountLifecycle accounts, IOptions<RotorOptions> options)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.ChangePasswordRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(body!.CurrentPassword))
        {
            errors["currentPassword"] = ["Enter your current password."];
        }

        if (string.IsNullOrEmpty(body.NewPassword))
        {
            errors["newPassword"] = ["Choose a new password."];
        }

        if (errors.Count > 0)
        {
            return RotorProblems.For(context, RotorError.Validation(errors));
        }

        var outcome = await accounts.ChangePasswordAsync(
            context.User.GetUserId()!, context.User.GetSessionId(), body.CurrentPassword!, body.NewPassword!, ClientInfo.From(context), context.RequestAborted);
        return outcome.Error is { } error ? RotorProblems.For(context, error) : TypedResults.NoContent();
    }

    public static async Task<Results<JsonHttpResult<UserResponse>, ProblemHttpResult>> ChangeUsernameAsync(HttpContext context, IRotorAccountLifecycle accounts, IOptions<RotorOptions> options)
    {
        TokenResults.NoStore(context.Response);
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.ChangeUsernameRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await accounts.ChangeUserNameAsync(context.User.GetUserId()!, context.User.GetSessionId(), body!.Username ?? "", ClientInfo.From(context), context.RequestAborted);
        if (!outcome.TryGetValue(out var user, out var error))
        {
            return RotorProblems.For(context, error);
        }

        return TypedResults.Json(new UserResponse(user.Id, user.UserName, user.Email), RotorJsonContext.Default.UserResponse);
    }

    /// <summary>
    /// The caller's security log, newest first. Pages by cursor (<c>before</c>, the <c>next</c> of the previous
    /// page) with <c>limit</c>; <c>page</c> and <c>pageSize</c> are accepted too, for simple numbered pagers.
    /// </summary>
    public static async Task<Results<JsonHttpResult<SecurityEventPage>, ProblemHttpResult>> EventsAsync(HttpContext context, IAccountTokenStore store)
    {
        TokenResults.NoStore(context.Response);
        if (!PageQuery.Read(context.Request.Query).TryGetValue(out var page, out var error))
        {
            return RotorProblems.Create(error);
        }

        var events = await store.ListEventsAsync(context.User.GetUserId()!, page.Before, page.Skip, page.Limit + 1, context.RequestAborted);
        return TypedResults.Json(SecurityEvents.Page(events, page.Limit, withActor: false), RotorJsonContext.Default.SecurityEventPage);
    }

    private static async Task<(string? Email, ProblemHttpResult? Problem)> ReadEmailAsync(HttpContext context, IOptions<RotorOptions> options)
    {
        var (body, problem) = await JsonBody.ReadAsync(context.Request, RotorJsonContext.Default.EmailRequest, options.Value.MaxRequestBodyBytes);
        if (problem is not null)
        {
            return (null, problem);
        }

        return AccountRules.ValidateEmail(body!.Email) is { } error ? (null, Invalid("email", error)) : (body.Email!.Trim(), null);
    }

    private static string? First(StringValues values) => values.Count > 0 ? values[0] : null;

    private static ProblemHttpResult Invalid(string field, string message) => RotorProblems.Create(RotorError.Invalid(field, message));
}

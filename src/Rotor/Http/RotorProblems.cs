using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rotor.Http;

/// <summary>Builds RFC 9457 problem+json answers carrying a stable <c>code</c>.</summary>
internal static class RotorProblems
{
    public static ProblemHttpResult Create(int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (errors is not null)
        {
            extensions["errors"] = errors;
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: Title(code), type: "urn:rotor:error:" + code, extensions: extensions);
    }

    /// <summary>400 <c>validation_failed</c> with the fields that need attention.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]>? errors) =>
        Create(400, RotorErrorCodes.ValidationFailed, "Some fields need attention; see errors.", errors);

    public static ProblemHttpResult Refresh(string code) => code switch
    {
        RotorErrorCodes.RefreshTokenMissing => Create(401, code, "No refresh token was sent. Sign in again."),
        RotorErrorCodes.RefreshTokenExpired => Create(401, code, "The session has expired. Sign in again."),
        RotorErrorCodes.SessionRevoked => Create(401, code, "The session was signed out. Sign in again."),
        RotorErrorCodes.RefreshTokenReused => Create(401, code, "This refresh token was already used, so the session was ended to protect the account. Sign in again."),
        _ => Create(401, RotorErrorCodes.RefreshTokenInvalid, "The refresh token is not valid. Sign in again."),
    };

    public static ProblemHttpResult Unavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return Create(503, RotorErrorCodes.ServiceUnavailable, "The server cannot reach its database right now. Nothing was changed; try again in a few seconds.");
    }

    private static string Title(string code) => code switch
    {
        RotorErrorCodes.InvalidRequest => "Invalid request",
        RotorErrorCodes.ValidationFailed => "Validation failed",
        RotorErrorCodes.UsernameTaken => "Username taken",
        RotorErrorCodes.EmailTaken => "Email taken",
        RotorErrorCodes.InvalidCredentials => "Invalid credentials",
        RotorErrorCodes.LockedOut => "Locked out",
        RotorErrorCodes.CsrfRejected => "Request refused",
        RotorErrorCodes.SessionNotFound => "Session not found",
        RotorErrorCodes.MethodNotAllowed => "Method not allowed",
        RotorErrorCodes.RequestTooLarge => "Request too large",
        RotorErrorCodes.UnsupportedMediaType => "Unsupported media type",
        RotorErrorCodes.ServiceUnavailable => "Service unavailable",
        RotorErrorCodes.ServerError => "Server error",
        RotorErrorCodes.InvalidToken => "Invalid token",
        RotorErrorCodes.RateLimited => "Too many requests",
        RotorErrorCodes.EmailNotVerified => "Email not verified",
        RotorErrorCodes.OtpInvalid => "Invalid code",
        RotorErrorCodes.OtpExpired => "Code expired",
        RotorErrorCodes.OtpAttemptsExceeded => "Too many wrong codes",
        RotorErrorCodes.ResetTokenInvalid => "Invalid reset link",
        RotorErrorCodes.ResetTokenExpired => "Reset link expired",
        RotorErrorCodes.ResetTokenUsed => "Reset link already used",
        RotorErrorCodes.CurrentPasswordInvalid => "Wrong current password",
        _ => "Session ended",
    };
}

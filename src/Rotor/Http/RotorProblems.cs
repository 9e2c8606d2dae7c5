using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rotor.Http;

/// <summary>Turns a <see cref="RotorError"/> into an RFC 9457 problem+json answer carrying its stable <c>code</c>.</summary>
internal static class RotorProblems
{
    /// <summary>The answer for <paramref name="error"/>: status, title and detail from <see cref="RotorErrorTable"/>, Retry-After when it has a wait.</summary>
    public static ProblemHttpResult For(HttpContext context, RotorError error, string? detail = null)
    {
        var entry = RotorErrorTable.Find(error.Code);
        var retryAfter = error.RetryAfter ?? (entry.Status == StatusCodes.Status503ServiceUnavailable ? TimeSpan.FromSeconds(5) : null);
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = RotorErrorTable.Seconds(wait).ToString(CultureInfo.InvariantCulture);
        }

        return Build(entry, error, detail ?? RotorErrorTable.Detail(entry, retryAfter));
    }

    /// <summary>The answer for <paramref name="error"/> without touching the response (no Retry-After); for paths with no wait.</summary>
    public static ProblemHttpResult Create(RotorError error, string? detail = null)
    {
        var entry = RotorErrorTable.Find(error.Code);
        return Build(entry, error, detail ?? RotorErrorTable.Detail(entry, error.RetryAfter));
    }

    private static ProblemHttpResult Build(RotorErrorTable.Entry entry, RotorError error, string detail)
    {
        var code = RotorErrorTable.Contains(error.Code) ? error.Code : RotorErrorCodes.ServerError;
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (error.Errors is not null)
        {
            extensions["errors"] = error.Errors;
        }

        if (error.Extensions is not null)
        {
            foreach (var (key, value) in error.Extensions)
            {
                extensions[key] = value;
            }
        }

        return TypedResults.Problem(detail: detail, statusCode: entry.Status, title: entry.Title, type: "urn:rotor:error:" + code, extensions: extensions);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotor.Contracts;
using Rotor.Http;

namespace Rotor.OAuth;

/// <summary>Writes the answers of the <c>/oauth/*</c> endpoints: never cached, errors as RFC 6749 §5.2 JSON.</summary>
internal static class OAuthResults
{
    /// <summary>
    /// The OAuth error for <paramref name="error"/> (<see cref="OAuthErrorTable"/>), with Retry-After when there is a
    /// wait (a 503 always has one). <paramref name="description"/> replaces the table's sentence. Headers already on the
    /// response stay (the DPoP code writes <c>DPoP-Nonce</c> there before a <c>use_dpop_nonce</c> refusal).
    /// </summary>
    public static JsonHttpResult<OAuthErrorResponse> Error(HttpContext context, RotorError error, string? description = null)
    {
        NoStore(context.Response);
        var entry = OAuthErrorTable.Find(error.Code);
        var rotor = RotorErrorTable.Find(error.Code);
        var retryAfter = error.RetryAfter ?? (entry.Status == StatusCodes.Status503ServiceUnavailable ? TimeSpan.FromSeconds(5) : null);
        if (retryAfter is { } wait && entry.Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RotorErrorTable.Seconds(wait).ToString(CultureInfo.InvariantCulture);
        }

        var text = Describe(description ?? RotorErrorTable.Detail(rotor, retryAfter));
        return TypedResults.Json(new OAuthErrorResponse(entry.Error, text), RotorJsonContext.Default.OAuthErrorResponse, statusCode: entry.Status);
    }

    /// <summary>RFC 6749 §6.2 and RFC 7234: token answers and their errors are never stored by a cache.</summary>
    public static void NoStore(HttpResponse response) => TokenResults.NoStore(response);

    /// <summary>
    /// <c>error_description</c> may hold printable ASCII except <c>"</c> and <c>\</c> (RFC 6749 §5.2); anything else
    /// becomes a space, so a client that checks the grammar does not refuse the whole answer.
    /// </summary>
    internal static string Describe(string text) => string.Create(text.Length, text, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c is >= ' ' and <= '~' and not '"' and not '\\' ? c : ' ';
        }
    });
}

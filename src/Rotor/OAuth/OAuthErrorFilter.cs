using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotor.Http;

namespace Rotor.OAuth;

/// <summary>
/// Outermost filter of the <c>/oauth/*</c> endpoints: whatever answers with a Rotor problem inside them (the shared
/// endpoint filter on a database outage or an unreadable request, a rate limit, a method the endpoint does not take)
/// answers in the OAuth error format instead, through <see cref="OAuthErrorTable"/>. The status and Retry-After stay
/// as the table says, so a database outage is 503 <c>temporarily_unavailable</c>, never <c>invalid_grant</c>.
/// </summary>
internal sealed class OAuthErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is ProblemHttpResult problem)
        {
            var code = problem.ProblemDetails.Extensions.TryGetValue("code", out var value) && value is string text ? text : RotorErrorCodes.ServerError;
            TimeSpan? retryAfter = int.TryParse(context.HttpContext.Response.Headers.RetryAfter, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
            return OAuthResults.Error(context.HttpContext, new RotorError(code, retryAfter), problem.ProblemDetails.Detail);
        }

        return result;
    }
}

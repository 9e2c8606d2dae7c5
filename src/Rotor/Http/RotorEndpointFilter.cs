using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Rotor.Diagnostics;

namespace Rotor.Http;

/// <summary>
/// Wraps every Rotor endpoint: a database failure becomes 503 with Retry-After (never 401, so no client
/// signs its user out because the server is ill), anything else unexpected a 500 problem; and every answer
/// varies by Origin, since CORS and the CSRF rules depend on it.
/// </summary>
internal sealed class RotorEndpointFilter(ILogger<RotorEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.Vary = "Origin";
        try
        {
            return await next(context);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            RotorLog.DatabaseUnavailable(logger, ex);
            ResetResponse(http);
            return RotorProblems.For(http, RotorErrorCodes.ServiceUnavailable);
        }
        catch (BadHttpRequestException ex)
        {
            ResetResponse(http);
            return ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? RotorProblems.Create(RotorErrorCodes.RequestTooLarge)
                : RotorProblems.Create(RotorErrorCodes.InvalidRequest, "The request could not be read.");
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            RotorLog.UnhandledError(logger, ex);
            ResetResponse(http);
            return RotorProblems.Create(RotorErrorCodes.ServerError);
        }
    }

    internal static bool IsDatabaseFailure(Exception exception) => exception switch
    {
        DbException or DbUpdateException or TimeoutException or RetryLimitExceededException => true,
        InvalidOperationException { InnerException: { } inner } => IsDatabaseFailure(inner),
        AggregateException { InnerException: { } inner } => IsDatabaseFailure(inner),
        _ => false,
    };

    private static void ResetResponse(HttpContext http)
    {
        if (!http.Response.HasStarted)
        {
            // Nothing half-done may reach the client: no cookie set or cleared by the failed attempt.
            http.Response.Headers.Remove("Set-Cookie");
        }
    }
}

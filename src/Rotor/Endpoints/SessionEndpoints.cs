using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotor.Contracts;
using Rotor.Http;
using Rotor.Security;
using Rotor.Sessions;

namespace Rotor.Endpoints;

/// <summary>The caller's device sessions: list them, revoke one.</summary>
internal static class SessionEndpoints
{
    public static async Task<JsonHttpResult<List<SessionResponse>>> ListAsync(HttpContext context, SessionService sessions)
    {
        var current = context.User.GetSessionId();
        var list = await sessions.ListAsync(context.User.GetUserId()!, context.RequestAborted);
        var response = list.Select(s => new SessionResponse(
            s.Id,
            s.CreatedAt,
            s.LastUsedAt,
            s.IdleExpiresAt < s.ExpiresAt ? s.IdleExpiresAt : s.ExpiresAt,
            s.UserAgent,
            s.IpAddress,
            s.Id == current)).ToList();
        TokenResults.NoStore(context.Response);
        return TypedResults.Json(response, RotorJsonContext.Default.ListSessionResponse);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, HttpContext context, SessionService sessions, RefreshCookie cookie)
    {
        if (!Guid.TryParse(id, out var sessionId)
            || !await sessions.RevokeAsync(sessionId, context.User.GetUserId()!, RevocationReasons.RevokedByUser, ClientInfo.From(context), context.RequestAborted))
        {
            return RotorProblems.Create(RotorErrorCodes.SessionNotFound);
        }

        if (sessionId == context.User.GetSessionId() && cookie.IsPresent(context.Request))
        {
            cookie.Clear(context.Response);
        }

        return TypedResults.NoContent();
    }
}

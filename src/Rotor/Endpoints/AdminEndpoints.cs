using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Rotor.Admin;
using Rotor.Contracts;
using Rotor.Http;
using Rotor.Security;
using Rotor.Sessions;

namespace Rotor.Endpoints;

/// <summary>
/// The operator surface under <c>/admin</c>: find users, read their sessions and security log, end sessions, lock and
/// unlock. The admin policy has already admitted the caller; these only check their input and translate outcomes.
/// </summary>
internal static class AdminEndpoints
{
    /// <summary>The longest user id Identity's tables hold.</summary>
    private const int MaxUserId = 450;

    /// <summary>The longest search text: a whole email address fits.</summary>
    private const int MaxQuery = 256;

    /// <summary><c>GET /admin/access</c>: 204 when the caller may use the admin endpoints (the policy answered 401 or 403 otherwise).</summary>
    public static NoContent Access(HttpContext context)
    {
        TokenResults.NoStore(context.Response);
        return TypedResults.NoContent();
    }

    public static async Task<Results<JsonHttpResult<AdminUserPage>, ProblemHttpResult>> SearchAsync(HttpContext context, IRotorAdmin admin)
    {
        TokenResults.NoStore(context.Response);
        var query = context.Request.Query;
        if (!PageQuery.Read(query, keyset: false).TryGetValue(out var page, out var error))
        {
            return RotorProblems.Create(error);
        }

        var text = PageQuery.First(query["q"]);
        if (text is { Length: > MaxQuery } || (text is not null && text.Any(char.IsControl)))
        {
            return RotorProblems.Create(RotorError.Invalid("q", $"Search with up to {MaxQuery} characters of a username or email address."));
        }

        var match = PageQuery.First(query["match"]) ?? "exact";
        if (match is not ("exact" or "prefix"))
        {
            return RotorProblems.Create(RotorError.Invalid("match", "Match exact or prefix."));
        }

        var users = await admin.SearchAsync(text, match == "prefix", page.Skip, page.Limit + 1, context.RequestAborted);
        var items = users.Take(page.Limit).ToList();
        return TypedResults.Json(new AdminUserPage(items, users.Count > page.Limit), RotorJsonContext.Default.AdminUserPage);
    }

    public static async Task<Results<JsonHttpResult<AdminUserResponse>, ProblemHttpResult>> GetUserAsync(string id, HttpContext context, IRotorAdmin admin)
    {
        TokenResults.NoStore(context.Response);
        if (CheckId(id) is { } invalid)
        {
            return invalid;
        }

        var outcome = await admin.FindAsync(id, context.RequestAborted);
        return outcome.TryGetValue(out var user, out var error)
            ? TypedResults.Json(user, RotorJsonContext.Default.AdminUserResponse)
            : RotorProblems.For(context, error);
    }

    public static async Task<Results<JsonHttpResult<List<AdminSessionResponse>>, ProblemHttpResult>> SessionsAsync(string id, HttpContext context, IRotorAdmin admin)
    {
        TokenResults.NoStore(context.Response);
        if (CheckId(id) is { } invalid)
        {
            return invalid;
        }

        var outcome = await admin.ListSessionsAsync(id, Actor(context), ClientInfo.From(context), context.RequestAborted);
        if (!outcome.TryGetValue(out var sessions, out var error))
        {
            return RotorProblems.For(context, error);
        }

        var response = sessions.Select(s => new AdminSessionResponse(
            s.Id, s.CreatedAt, s.LastUsedAt, s.IdleExpiresAt < s.ExpiresAt ? s.IdleExpiresAt : s.ExpiresAt, s.AuthenticatedAt, s.Mode, s.UserAgent, s.IpAddress)).ToList();
        return TypedResults.Json(response, RotorJsonContext.Default.ListAdminSessionResponse);
    }

    public static async Task<Results<JsonHttpResult<SecurityEventPage>, ProblemHttpResult>> EventsAsync(string id, HttpContext context, IRotorAdmin admin)
    {
        TokenResults.NoStore(context.Response);
        if (CheckId(id) is { } invalid)
        {
            return invalid;
        }

        if (!PageQuery.Read(context.Request.Query).TryGetValue(out var page, out var error))
        {
            return RotorProblems.Create(error);
        }

        var outcome = await admin.ListEventsAsync(id, page.Before, page.Skip, page.Limit + 1, Actor(context), ClientInfo.From(context), context.RequestAborted);
        return outcome.TryGetValue(out var events, out error)
            ? TypedResults.Json(SecurityEvents.Page(events, page.Limit, withActor: true), RotorJsonContext.Default.SecurityEventPage)
            : RotorProblems.For(context, error);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeSessionAsync(string id, string sessionId, HttpContext context, IRotorAdmin admin)
    {
        if (CheckId(id) is { } invalid)
        {
            return invalid;
        }

        if (!Guid.TryParse(sessionId, out var session))
        {
            return RotorProblems.Create(RotorError.Invalid("sessionId", "Pass a session id from the user's session list."));
        }

        var outcome = await admin.RevokeSessionAsync(id, session, Actor(context), ClientInfo.From(context), context.RequestAborted);
        return outcome.TryGetValue(out _, out var error) ? TypedResults.NoContent() : RotorProblems.For(context, error);
    }

    public static async Task<Results<JsonHttpResult<AdminRevokeResponse>, ProblemHttpResult>> RevokeAllAsync(string id, HttpContext context, IRotorAdmin admin)
    {
        if (CheckId(id) is { } invalid)
        {
            return invalid;
        }

        return Revoked(context, await admin.RevokeAllAsync(id, Actor(context), ClientInfo.From(context), context.RequestAborted));
    }

    public static async Task<Results<JsonHttpResult<AdminRevokeResponse>, ProblemHttpResult>> LockAsync(string id, HttpContext context, IRotorAdmin admin)
    {
        if (CheckId(id) is { } invalid)
        {
            return invalid;
        }

        return Revoked(context, await admin.LockAsync(id, Actor(context), ClientInfo.From(context), context.RequestAborted));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> UnlockAsync(string id, HttpContext context, IRotorAdmin admin)
    {
        if (CheckId(id) is { } invalid)
        {
            return invalid;
        }

        var outcome = await admin.UnlockAsync(id, Actor(context), ClientInfo.From(context), context.RequestAborted);
        return outcome.TryGetValue(out _, out var error) ? TypedResults.NoContent() : RotorProblems.For(context, error);
    }

    private static Results<JsonHttpResult<AdminRevokeResponse>, ProblemHttpResult> Revoked(HttpContext context, RotorOutcome<int> outcome) =>
        outcome.TryGetValue(out var count, out var error)
            ? TypedResults.Json(new AdminRevokeResponse(count), RotorJsonContext.Default.AdminRevokeResponse)
            : RotorProblems.For(context, error);

    /// <summary>A user id no row can have (too long, or with control characters) is bad input, not an unknown user.</summary>
    private static ProblemHttpResult? CheckId(string id) =>
        id.Length is 0 or > MaxUserId || id.Any(char.IsControl)
            ? RotorProblems.Create(RotorError.Invalid("id", "Pass a user id from the search."))
            : null;

    /// <summary>The admin's user id: Rotor's <c>sub</c>, or the name identifier of an app's own scheme when its policy admitted the caller.</summary>
    private static string Actor(HttpContext context) =>
        context.User.GetUserId() ?? context.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "unknown";
}

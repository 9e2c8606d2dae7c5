using Rotor.Storage;

namespace Rotor.Contracts;

/// <summary>Builds the pages of security log that <c>GET /auth/events</c> and the admin endpoints answer.</summary>
internal static class SecurityEvents
{
    /// <summary>
    /// A page from up to <paramref name="limit"/> + 1 events (the extra one only tells that more follow). The admin who
    /// acted is shown to admins only (<paramref name="withActor"/>): a user learns that an administrator acted, not who.
    /// </summary>
    public static SecurityEventPage Page(IReadOnlyList<RotorSecurityEvent> events, int limit, bool withActor)
    {
        var hasMore = events.Count > limit;
        var items = events.Take(limit)
            .Select(e => new SecurityEventResponse(e.Id, e.Type, e.OccurredAt, e.IpAddress, e.UserAgent, e.Detail, e.SessionId, withActor ? e.ActorId : null))
            .ToList();
        return new SecurityEventPage(items, hasMore ? items[^1].Id : null, hasMore);
    }
}

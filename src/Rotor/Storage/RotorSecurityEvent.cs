namespace Rotor.Storage;

/// <summary>An entry of a user's security log: sign-ins, failures, revocations, token reuse.</summary>
public sealed class RotorSecurityEvent
{
    /// <summary>The event id, increasing.</summary>
    public long Id { get; set; }

    /// <summary>The user the event concerns, or null when the sign-in named no known user.</summary>
    public string? UserId { get; set; }

    /// <summary>The session the event concerns, if any.</summary>
    public Guid? SessionId { get; set; }

    /// <summary>The event type (see <see cref="Sessions.SecurityEventTypes"/>).</summary>
    public string Type { get; set; } = "";

    /// <summary>When it happened.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The client address of the request that caused it.</summary>
    public string? IpAddress { get; set; }

    /// <summary>The User-Agent of the request that caused it, truncated.</summary>
    public string? UserAgent { get; set; }

    /// <summary>The user id of the admin who caused it (admin endpoints), or null when the user or Rotor did.</summary>
    public string? ActorId { get; set; }

    /// <summary>A short, secret-free detail such as a revocation reason.</summary>
    public string? Detail { get; set; }
}

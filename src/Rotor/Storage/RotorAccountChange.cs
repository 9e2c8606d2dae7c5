namespace Rotor.Storage;

/// <summary>
/// A user whose security stamp or lockout changed, or who was deleted, through the application's EF Core context
/// (recorded by <see cref="RotorAccountChangeInterceptor"/> in the same transaction). The revocation poll takes these rows
/// and checks those users' sessions, so it need not compare every live session with its user on every poll.
/// </summary>
public sealed class RotorAccountChange
{
    /// <summary>Increasing id: the order changes were recorded in.</summary>
    public long Id { get; set; }

    /// <summary>The ASP.NET Core Identity user id.</summary>
    public string UserId { get; set; } = "";
}

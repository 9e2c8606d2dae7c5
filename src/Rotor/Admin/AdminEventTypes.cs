namespace Rotor.Admin;

/// <summary>
/// The security-log entries of admin actions. Each is written on the target user's log with the admin's user id in
/// <see cref="Storage.RotorSecurityEvent.ActorId"/>, and the admin's address and device.
/// </summary>
public static class AdminEventTypes
{
    /// <summary>An admin revoked one of the user's sessions.</summary>
    public const string SessionRevoked = "admin_session_revoked";

    /// <summary>An admin revoked all of the user's sessions.</summary>
    public const string SessionsRevoked = "admin_sessions_revoked";

    /// <summary>An admin locked the account (and so ended its sessions).</summary>
    public const string Locked = "admin_locked";

    /// <summary>An admin lifted the account's lock.</summary>
    public const string Unlocked = "admin_unlocked";

    /// <summary>An admin read the user's sessions or security log (the detail says which).</summary>
    public const string Viewed = "admin_viewed";
}

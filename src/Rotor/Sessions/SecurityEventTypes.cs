namespace Rotor.Sessions;

/// <summary>The types of entries in the security log.</summary>
public static class SecurityEventTypes
{
    /// <summary>A sign-in succeeded and started a session.</summary>
    public const string LoginSucceeded = "login_succeeded";

    /// <summary>A sign-in failed (wrong password, or locked out).</summary>
    public const string LoginFailed = "login_failed";

    /// <summary>The account was locked after repeated failures.</summary>
    public const string LockedOut = "locked_out";

    /// <summary>The user signed out of a session.</summary>
    public const string Logout = "logout";

    /// <summary>A session was revoked (sign-out everywhere, revoked from another device, password change).</summary>
    public const string SessionRevoked = "session_revoked";

    /// <summary>A rotated-away refresh token was presented; its session was revoked.</summary>
    public const string RefreshTokenReused = "refresh_token_reused";
}

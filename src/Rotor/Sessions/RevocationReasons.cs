namespace Rotor.Sessions;

/// <summary>Why a session was revoked; stored with the session and in the security log.</summary>
public static class RevocationReasons
{
    /// <summary>The user signed out of this session.</summary>
    public const string Logout = "logout";

    /// <summary>The user signed out everywhere.</summary>
    public const string LogoutAll = "logout_all";

    /// <summary>A client revoked one of the session's tokens at <c>POST /oauth/revoke</c> (RFC 7009).</summary>
    public const string OAuthRevoke = "oauth_revoke";

    /// <summary>The user revoked this session from another device.</summary>
    public const string RevokedByUser = "revoked_by_user";

    /// <summary>A refresh token of the session was presented after it had been rotated away.</summary>
    public const string TokenReuse = "refresh_token_reused";

    /// <summary>A new sign-in in the same browser replaced the session.</summary>
    public const string Replaced = "replaced_by_login";

    /// <summary>The user's password changed or was reset.</summary>
    public const string PasswordChanged = "password_changed";

    /// <summary>The account was deleted, locked by the app, or its security stamp changed outside this session.</summary>
    public const string AccountChanged = "account_changed";


    /// <summary>The user turned on two-step sign-in: sessions begun with the password alone end.</summary>
    public const string MfaEnabled = "mfa_enabled";

    /// <summary>An admin revoked the session (<c>/admin</c>).</summary>
    public const string RevokedByAdmin = "revoked_by_admin";

    /// <summary>An admin locked the account, which ends all its sessions.</summary>
    public const string LockedByAdmin = "locked_by_admin";

    /// <summary>The user changed the email address, the way back into the account: other sessions end.</summary>
    public const string EmailChanged = "email_changed";
}

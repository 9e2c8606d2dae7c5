namespace Rotor.Accounts;

/// <summary>Security-log entries of the account lifecycle, beside <see cref="Sessions.SecurityEventTypes"/>.</summary>
public static class AccountEventTypes
{
    /// <summary>The user changed the password (signed in, with the current password).</summary>
    public const string PasswordChanged = "password_changed";

    /// <summary>The password was reset with an emailed link.</summary>
    public const string PasswordReset = "password_reset";

    /// <summary>The email address was verified with an emailed code.</summary>
    public const string EmailVerified = "email_verified";

    /// <summary>A wrong email-verification code was entered.</summary>
    public const string OtpFailed = "otp_failed";

    /// <summary>The user changed the username.</summary>
    public const string UsernameChanged = "username_changed";

    /// <summary>The user turned two-step sign-in on (confirmed an authenticator app).</summary>
    public const string MfaEnabled = "mfa_enabled";

    /// <summary>The user turned two-step sign-in off.</summary>
    public const string MfaDisabled = "mfa_disabled";

    /// <summary>The user asked for a new authenticator key (setup); if two-step sign-in was on, it is off until the new key is confirmed.</summary>
    public const string AuthenticatorReset = "authenticator_reset";

    /// <summary>The user made new recovery codes; the previous ones stopped working.</summary>
    public const string RecoveryCodesRegenerated = "recovery_codes_regenerated";

    /// <summary>A recovery code was used to sign in.</summary>
    public const string RecoveryCodeUsed = "recovery_code_used";

    /// <summary>A wrong authenticator or recovery code was entered (sign-in or re-authentication).</summary>
    public const string MfaFailed = "mfa_failed";

    /// <summary>The user confirmed the password (and code) again to unlock sensitive actions.</summary>
    public const string Reauthenticated = "reauthenticated";

    /// <summary>The user changed the email address; the new one is unverified until its code is entered.</summary>
    public const string EmailChanged = "email_changed";
}

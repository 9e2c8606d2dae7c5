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
}

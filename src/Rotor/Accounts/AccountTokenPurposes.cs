namespace Rotor.Accounts;

/// <summary>The purposes of <see cref="Storage.RotorAccountToken"/> rows.</summary>
internal static class AccountTokenPurposes
{
    public const string VerifyEmail = "verify_email";
    public const string ResetPassword = "reset_password";
}

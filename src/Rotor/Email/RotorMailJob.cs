namespace Rotor.Email;

/// <summary>
/// A mail to compose and send in the background. Only the kind and the address travel through the queue: the
/// code or token is made by the worker, so a request that queues a job takes the same time whether or not the
/// address has an account.
/// </summary>
internal sealed record RotorMailJob(string Kind, string Email)
{
    /// <summary>The account's address was changed to <see cref="Email"/>: start confirming it (a right code only confirms) and mail a code.</summary>
    public const string VerifyEmail = "verify_email";

    /// <summary>A new account registered under required verification: start confirming its address (a right code also signs in) and mail a code.</summary>
    public const string VerifyRegistration = "verify_registration";

    /// <summary>Someone asked for a new code: mailed only when the address's account is confirming it.</summary>
    public const string ResendVerification = "resend_verification";

    public const string ResetPassword = "reset_password";
}

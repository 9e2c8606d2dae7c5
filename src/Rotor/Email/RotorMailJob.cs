namespace Rotor.Email;

/// <summary>
/// A mail to compose and send in the background. Only the kind and the address travel through the queue: the
/// code or token is made by the worker, so a request that queues a job takes the same time whether or not the
/// address has an account.
/// </summary>
internal sealed record RotorMailJob(string Kind, string Email)
{
    public const string VerifyEmail = "verify_email";
    public const string ResetPassword = "reset_password";
}

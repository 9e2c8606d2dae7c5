namespace Rotor.Accounts;

/// <summary>Why an address is being confirmed (<see cref="Storage.RotorEmailVerification.Reason"/>).</summary>
internal static class EmailVerificationReasons
{
    /// <summary>The address a new account registered with, under required verification: the right code also signs in.</summary>
    public const string Registration = "registration";

    /// <summary>The address an account changed to: the right code only confirms it.</summary>
    public const string EmailChange = "email_change";

    /// <summary>An unverified account asked for a code without a verification under way (one lost, or made before): confirm only.</summary>
    public const string Address = "address";
}

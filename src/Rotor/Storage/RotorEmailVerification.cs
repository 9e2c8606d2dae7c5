namespace Rotor.Storage;

/// <summary>
/// An address a user is confirming: the one they registered with (when verification is required) or the one
/// they changed to. Verification codes are issued and accepted only while such a row exists for the user's
/// current address; confirming the address deletes it.
/// </summary>
public sealed class RotorEmailVerification
{
    /// <summary>The ASP.NET Core Identity user confirming an address (one pending verification per user).</summary>
    public string UserId { get; set; } = "";

    /// <summary>The address being confirmed; the verification lapses when the user's address is no longer this one.</summary>
    public string Email { get; set; } = "";

    /// <summary>
    /// Why: <c>registration</c> (a new account under required verification: a right code also signs in),
    /// <c>email_change</c>, or <c>address</c> (an unverified account asked for a code later); the last two only confirm.
    /// </summary>
    public string Reason { get; set; } = "";

    /// <summary>When the verification started.</summary>
    public DateTimeOffset StartedAt { get; set; }
}

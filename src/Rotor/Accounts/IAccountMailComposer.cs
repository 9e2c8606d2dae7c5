using Rotor.Email;

namespace Rotor.Accounts;

/// <summary>Turns a queued mail job into a message: makes the code or token, or decides no mail is due.</summary>
internal interface IAccountMailComposer
{
    /// <summary>The message to send, or null when none is due (no such account, or already verified).</summary>
    Task<RotorEmailMessage?> ComposeAsync(RotorMailJob job, CancellationToken cancellationToken);
}

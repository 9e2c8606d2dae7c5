namespace Rotor.Email;

/// <summary>
/// Delivers one email. Rotor calls it from a background queue, never on a request's path, and retries a failed
/// delivery; an implementation only has to throw when the message was not handed over.
/// </summary>
public interface IRotorEmailSender
{
    /// <summary>Hands <paramref name="message"/> to the mail system; throws when it could not.</summary>
    Task SendAsync(RotorEmailMessage message, CancellationToken cancellationToken);
}

using MimeKit;

namespace Rotor.Email;

/// <summary>Checks <see cref="RotorEmailOptions"/> at start-up, as part of Rotor's options validation.</summary>
internal static class RotorEmailOptionsValidator
{
    public static void Validate(RotorEmailOptions email, List<string> failures)
    {
        if (!MailboxAddress.TryParse(email.From, out var from) || string.IsNullOrEmpty(from.Address) || !from.Address.Contains('@', StringComparison.Ordinal))
        {
            failures.Add($"Rotor:Email:From is '{email.From}'; set it to the sender's address, such as no-reply@example.com or \"Example <no-reply@example.com>\".");
        }

        if (email.MaxAttempts is < 1 or > 20)
        {
            failures.Add($"Rotor:Email:MaxAttempts is {email.MaxAttempts}; set it between 1 and 20.");
        }

        if (email.RetryDelay < TimeSpan.Zero || email.RetryDelay > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Rotor:Email:RetryDelay is {email.RetryDelay}; set it between 00:00:00 and 00:10:00.");
        }

        if (email.Timeout < TimeSpan.FromSeconds(1) || email.Timeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Rotor:Email:Timeout is {email.Timeout}; set it between 00:00:01 and 00:05:00.");
        }

        if (email.QueueCapacity is < 1 or > 1_000_000)
        {
            failures.Add($"Rotor:Email:QueueCapacity is {email.QueueCapacity}; set it between 1 and 1000000.");
        }

        if (string.IsNullOrWhiteSpace(email.Host))
        {
            if (string.IsNullOrWhiteSpace(email.PickupDirectory))
            {
                failures.Add("Rotor:Email:PickupDirectory is empty and no Rotor:Email:Host is set; set a folder for .eml files (such as data/mail) or an SMTP host.");
            }

            return;
        }

        if (Uri.CheckHostName(email.Host) == UriHostNameType.Unknown)
        {
            failures.Add($"Rotor:Email:Host is '{email.Host}'; set it to the SMTP server's host name or address, such as smtp.example.com.");
        }

        if (email.Port is < 0 or > 65535)
        {
            failures.Add($"Rotor:Email:Port is {email.Port}; set it between 1 and 65535, or 0 for the usual port of the TLS mode.");
        }

        if (!Enum.IsDefined(email.TlsMode))
        {
            failures.Add($"Rotor:Email:TlsMode is {email.TlsMode}; use None, StartTls, SslOnConnect or Auto.");
        }

        if (!string.IsNullOrEmpty(email.Username) && string.IsNullOrEmpty(email.Password))
        {
            failures.Add("Rotor:Email:Username is set without Rotor:Email:Password; set both (keep the password in user secrets or the environment), or neither.");
        }
    }
}

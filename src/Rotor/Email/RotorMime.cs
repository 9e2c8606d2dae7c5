using MimeKit;

namespace Rotor.Email;

/// <summary>Turns a <see cref="RotorEmailMessage"/> into a MIME message with a text and an HTML alternative.</summary>
internal static class RotorMime
{
    public static MimeMessage Build(RotorEmailMessage message, string from, DateTimeOffset date)
    {
        var mime = new MimeMessage { Subject = message.Subject, Date = date };
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();
        return mime;
    }
}

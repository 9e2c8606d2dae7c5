using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Rotor.Email;

/// <summary>Sends mail through an SMTP server with MailKit, as <c>Rotor:Email</c> configures it.</summary>
internal sealed class SmtpEmailSender(IOptions<RotorOptions> options, TimeProvider time) : IRotorEmailSender
{
    private readonly RotorEmailOptions _email = options.Value.Email;

    public async Task SendAsync(RotorEmailMessage message, CancellationToken cancellationToken)
    {
        var mime = RotorMime.Build(message, _email.From, time.GetUtcNow());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_email.Timeout);
        using var client = new SmtpClient { Timeout = (int)_email.Timeout.TotalMilliseconds };
        var security = _email.TlsMode switch
        {
            RotorSmtpTlsMode.None => SecureSocketOptions.None,
            RotorSmtpTlsMode.SslOnConnect => SecureSocketOptions.SslOnConnect,
            RotorSmtpTlsMode.Auto => SecureSocketOptions.Auto,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(_email.Host!, _email.EffectivePort, security, timeout.Token);
        if (!string.IsNullOrEmpty(_email.Username))
        {
            await client.AuthenticateAsync(_email.Username, _email.Password ?? "", timeout.Token);
        }

        await client.SendAsync(mime, timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);
    }
}

namespace Rotor.Email;

/// <summary>
/// How Rotor sends mail, bound from <c>Rotor:Email</c>. Without <see cref="Host"/> every message is written as an
/// <c>.eml</c> file to <see cref="PickupDirectory"/> (the default, so a development server works offline);
/// with it, messages go out over SMTP.
/// </summary>
public sealed class RotorEmailOptions
{
    /// <summary>Folder that receives one <c>.eml</c> file per message when no SMTP host is set. Default: <c>data/mail</c>.</summary>
    public string PickupDirectory { get; set; } = Path.Combine("data", "mail");

    /// <summary>The SMTP server's host name. Default: none (use the pickup directory).</summary>
    public string? Host { get; set; }

    /// <summary>The SMTP server's port. Default: 0, meaning the usual port of <see cref="TlsMode"/> (465 for SslOnConnect, 25 for None, otherwise 587).</summary>
    public int Port { get; set; }

    /// <summary>How the SMTP connection is secured. Default: <see cref="RotorSmtpTlsMode.StartTls"/>.</summary>
    public RotorSmtpTlsMode TlsMode { get; set; } = RotorSmtpTlsMode.StartTls;

    /// <summary>The SMTP user name. Default: none (no authentication).</summary>
    public string? Username { get; set; }

    /// <summary>The SMTP password; required with <see cref="Username"/>. Keep it in user secrets or the environment.</summary>
    public string? Password { get; set; }

    /// <summary>The sender, as <c>address</c> or <c>Name &lt;address&gt;</c>. Default: <c>Rotor &lt;no-reply@localhost&gt;</c>.</summary>
    public string From { get; set; } = "Rotor <no-reply@localhost>";

    /// <summary>How many times a message is tried before it is given up (and logged). Default: 5; 1 to 20.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the first retry; each further retry waits twice as long. Default: 2 seconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one SMTP delivery may take. Default: 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many messages may wait to be sent; beyond it new ones are dropped and logged. Default: 1000.</summary>
    public int QueueCapacity { get; set; } = 1000;

    internal int EffectivePort => Port != 0 ? Port : TlsMode switch
    {
        RotorSmtpTlsMode.SslOnConnect => 465,
        RotorSmtpTlsMode.None => 25,
        _ => 587,
    };
}

namespace Rotor.Email;

/// <summary>How the SMTP connection is secured.</summary>
public enum RotorSmtpTlsMode
{
    /// <summary>Plain text: only for a relay on the same machine or a test server.</summary>
    None,

    /// <summary>Connect in plain text and require STARTTLS (port 587). The default.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>TLS on connect for port 465, otherwise STARTTLS when the server offers it.</summary>
    Auto,
}

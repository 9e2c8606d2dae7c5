using MimeKit;

namespace Rotor.Tests.Email;

/// <summary>A message the <see cref="SmtpReceiver"/> accepted: the envelope and the parsed message.</summary>
public sealed record ReceivedMail(string From, IReadOnlyList<string> Recipients, MimeMessage Message);

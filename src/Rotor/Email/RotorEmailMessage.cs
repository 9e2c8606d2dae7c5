namespace Rotor.Email;

/// <summary>An email Rotor sends: one recipient, a subject, a plain-text body and an HTML body.</summary>
/// <param name="To">The recipient's address.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="TextBody">The plain-text body.</param>
/// <param name="HtmlBody">The HTML body (the same content as <paramref name="TextBody"/>).</param>
public sealed record RotorEmailMessage(string To, string Subject, string TextBody, string HtmlBody);

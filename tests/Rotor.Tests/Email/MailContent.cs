using System.Text.RegularExpressions;
using MimeKit;

namespace Rotor.Tests.Email;

/// <summary>Reads the code or the reset link out of a message Rotor sent.</summary>
public static partial class MailContent
{
    public static string Code(MimeMessage message)
    {
        var match = CodePattern().Match(message.TextBody ?? "");
        Assert.True(match.Success, "The message has no 6-digit code: " + message.TextBody);
        Assert.Contains(match.Groups[1].Value, message.HtmlBody ?? "", StringComparison.Ordinal);
        return match.Groups[1].Value;
    }

    public static Uri ResetLink(MimeMessage message)
    {
        var match = LinkPattern().Match(message.TextBody ?? "");
        Assert.True(match.Success, "The message has no reset link: " + message.TextBody);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(match.Value), message.HtmlBody ?? "", StringComparison.Ordinal);
        return new Uri(match.Value);
    }

    public static string ResetToken(MimeMessage message)
    {
        var query = ResetLink(message).Query.TrimStart('?');
        var token = query.Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "token")[1];
        return Uri.UnescapeDataString(token);
    }

    [GeneratedRegex(@"code is:\s*(\d{6})\b")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"https?://\S+/reset-password\?token=\S+")]
    private static partial Regex LinkPattern();
}

using System.Text.RegularExpressions;
using MimeKit;

namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>Reads the messages the server dropped into its pickup folder (one .eml file per message).</summary>
public static partial class Mailbox
{
    /// <summary>Waits (bounded) for the newest message to <paramref name="email"/> and returns the 6-digit code in it.</summary>
    public static Task<string> WaitForCodeAsync(string directory, string email, float timeoutMs = BrowserFixture.TimeoutMs) =>
        WaitForAsync(directory, email, SixDigits(), "a 6-digit code", timeoutMs);

    /// <summary>Waits (bounded) for the newest message to <paramref name="email"/> with a reset link and returns the link's token.</summary>
    public static Task<string> WaitForResetTokenAsync(string directory, string email, float timeoutMs = BrowserFixture.TimeoutMs) =>
        WaitForAsync(directory, email, ResetToken(), "a reset link", timeoutMs);

    private static async Task<string> WaitForAsync(string directory, string email, Regex pattern, string what, float timeoutMs)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var newest = new DirectoryInfo(directory).EnumerateFiles("*.eml", SearchOption.AllDirectories)
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .ThenByDescending(f => f.Name, StringComparer.Ordinal);
            foreach (var file in newest)
            {
                MimeMessage message;
                try
                {
                    message = await MimeMessage.LoadAsync(file.FullName);
                }
                catch (IOException)
                {
                    continue; // still being written
                }
                catch (FormatException)
                {
                    continue;
                }

                if (!message.To.Mailboxes.Any(m => string.Equals(m.Address, email, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var text = message.TextBody ?? message.HtmlBody ?? "";
                var found = pattern.Match(message.Subject + "\n" + text);
                if (found.Success)
                {
                    return found.Groups[1].Value;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                var files = string.Join(", ", Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
                Assert.Fail($"No message with {what} for {email} arrived in {directory} within {timeoutMs / 1000} s (files: {(files.Length == 0 ? "none" : files)}).");
            }

            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"(?<![\d#])(\d{6})(?!\d)")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"/reset-password\?token=([A-Za-z0-9_\-.%]+)")]
    private static partial Regex ResetToken();
}

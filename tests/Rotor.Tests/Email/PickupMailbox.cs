using MimeKit;

namespace Rotor.Tests.Email;

/// <summary>Reads the <c>.eml</c> files the pickup-directory sender writes.</summary>
public sealed class PickupMailbox(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>Every message so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> All()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return System.IO.Directory.GetFiles(Directory, "*.eml")
            .Order(StringComparer.Ordinal)
            .Select(path => MimeMessage.Load(path))
            .ToList();
    }

    public IReadOnlyList<MimeMessage> For(string recipient) =>
        All().Where(m => m.To.Mailboxes.Any(a => a.Address.Equals(recipient, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Waits until <paramref name="recipient"/> has more than <paramref name="skip"/> messages; returns the next one.</summary>
    public async Task<MimeMessage> WaitForAsync(string recipient, int skip = 0, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var messages = For(recipient);
            if (messages.Count > skip)
            {
                return messages[skip];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No mail for {recipient} appeared in {Directory}.");
            }

            await Task.Delay(25);
        }
    }
}

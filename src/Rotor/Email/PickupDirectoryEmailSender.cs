using Microsoft.Extensions.Options;

namespace Rotor.Email;

/// <summary>
/// Writes each message as an <c>.eml</c> file to <see cref="RotorEmailOptions.PickupDirectory"/>: the default
/// sender, so a development server needs no mail server and a developer can open the mail.
/// </summary>
internal sealed class PickupDirectoryEmailSender(IOptions<RotorOptions> options, TimeProvider time) : IRotorEmailSender
{
    private static long s_sequence;

    private readonly RotorEmailOptions _email = options.Value.Email;

    public async Task SendAsync(RotorEmailMessage message, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(_email.PickupDirectory);
        Directory.CreateDirectory(directory);
        var now = time.GetUtcNow();
        var mime = RotorMime.Build(message, _email.From, now);
        // Names sort in sending order: the time, then a sequence for messages within one millisecond.
        var name = $"{now:yyyyMMdd'T'HHmmssfff}-{Interlocked.Increment(ref s_sequence):D8}-{Guid.NewGuid():N}";

        // Written under a temporary name and renamed, so a reader never sees half a message.
        var partial = Path.Combine(directory, name + ".tmp");
        await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            await mime.WriteToAsync(stream, cancellationToken);
        }

        File.Move(partial, Path.Combine(directory, name + ".eml"));
    }
}

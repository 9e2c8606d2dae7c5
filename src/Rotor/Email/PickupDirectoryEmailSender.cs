using Microsoft.Extensions.Options;

namespace Rotor.Email;

/// <summary>
/// Writes each message as an <c>.eml</c> file to <see cref="RotorEmailOptions.PickupDirectory"/>: the default
/// sender, so a development server needs no mail server and a developer can open the mail. The folder (when
/// this sender creates it) and every file are owner-only: they hold codes and reset links.
/// </summary>
internal sealed class PickupDirectoryEmailSender(IOptions<RotorOptions> options, TimeProvider time) : IRotorEmailSender
{
    private static long s_sequence;

    private readonly RotorEmailOptions _email = options.Value.Email;

    public async Task SendAsync(RotorEmailMessage message, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(_email.PickupDirectory);
        CreatePrivateDirectory(directory);
        var now = time.GetUtcNow();
        var mime = RotorMime.Build(message, _email.From, now);
        // Names sort in sending order: the time, then a sequence for messages within one millisecond.
        var name = $"{now:yyyyMMdd'T'HHmmssfff}-{Interlocked.Increment(ref s_sequence):D8}-{Guid.NewGuid():N}";

        // Written under a temporary name and renamed, so a reader never sees half a message.
        var partial = Path.Combine(directory, name + ".tmp");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(partial, fileOptions))
        {
            await mime.WriteToAsync(stream, cancellationToken);
        }

        File.Move(partial, Path.Combine(directory, name + ".eml"));
    }

    /// <summary>
    /// The messages hold sign-in codes and password-reset links, so the folder is the server user's alone, as the
    /// key folder is. A folder that already exists keeps the modes its owner gave it.
    /// </summary>
    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

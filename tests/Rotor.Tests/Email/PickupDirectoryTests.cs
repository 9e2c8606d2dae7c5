using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Email;

/// <summary>The pickup folder holds sign-in codes and reset links: only the server's own user may read it.</summary>
public sealed class PickupDirectoryTests : IDisposable
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly RotorApp _app = LifecycleHost.Create(verification: true);
    private readonly RotorClient _client;

    public PickupDirectoryTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task The_pickup_folder_and_its_messages_are_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            // Unix modes do not exist there; the folder inherits the ACL of its parent.
            return;
        }

        var mailbox = LifecycleHost.Mailbox(_app);
        Assert.False(Directory.Exists(mailbox.Directory));

        var (_, email, _) = await _client.NewUserAsync();
        await mailbox.WaitForAsync(email);
        using (await _client.PostAsync("/auth/forgot-password", new { email }))
        {
            await mailbox.WaitForAsync(email, skip: 1);
        }

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(mailbox.Directory));
        var files = Directory.GetFiles(mailbox.Directory);
        Assert.Equal(2, files.Length);
        foreach (var file in files)
        {
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file));
        }
    }
}

using System.Diagnostics;
using System.Text;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests.Storage;

public sealed class RotorFileTokenStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rotor-client-store-tests", Guid.NewGuid().ToString("N"), "app");

    [Fact]
    public async Task A_session_survives_a_restart_through_the_file_store()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        string refreshTokenOnDisk;
        var start = DateTimeOffset.UtcNow;

        // First run: sign in, refresh once (so the file must follow the rotation), quit.
        using (var store = RotorFileTokenStore.Create(_directory))
        using (var first = SessionHarness.Create(server, o => o.TokenStore = store, clockStart: start))
        {
            await first.LoginAsync(user);
            first.ExpireAccessTokenOnClientClock();
            Assert.Contains(user, await first.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
            refreshTokenOnDisk = first.Session.State.Tokens!.RefreshToken!;
        }

        // Second run: nothing in memory carries over; new Data Protection services read the key ring from disk.
        using var reopened = RotorFileTokenStore.Create(_directory);
        using var second = SessionHarness.Create(server, o => o.TokenStore = reopened, clockStart: start + TimeSpan.FromMinutes(11));
        await second.Session.RestoreAsync();

        Assert.Equal(user, second.Session.CurrentUser!.Username);
        Assert.Equal(refreshTokenOnDisk, second.Session.State.Tokens!.RefreshToken);
        second.ExpireAccessTokenOnClientClock();
        Assert.Contains(user, await second.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(2, server.Probe.RefreshCount);
        Assert.Equal(0, second.ExpiredEvents);

        Assert.True(await second.Session.LogoutAsync());
        Assert.False(File.Exists(reopened.FilePath));
    }

    [Fact]
    public async Task The_file_is_owner_only_encrypted_and_unreadable_to_other_users()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions only; on Windows the file inherits the user profile's ACL.
        }

        using var store = RotorFileTokenStore.Create(_directory);
        var tokens = SampleTokens();

        await store.SaveAsync(tokens, CancellationToken.None);

        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(owner, File.GetUnixFileMode(store.FilePath));
        Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_directory, "keys")));
        var raw = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(store.FilePath));
        Assert.DoesNotContain(tokens.RefreshToken!, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.AccessToken, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", raw, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));

        // As root, prove it for real: another user cannot open the file.
        if (Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"))
        {
            using var other = Process.Start(new ProcessStartInfo("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "cat", store.FilePath])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var error = await other.StandardError.ReadToEndAsync();
            await other.WaitForExitAsync();
            Assert.NotEqual(0, other.ExitCode);
            Assert.Contains("Permission denied", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Tokens_round_trip_and_a_damaged_file_reads_as_signed_out()
    {
        using var store = RotorFileTokenStore.Create(_directory);
        var tokens = SampleTokens();
        await store.SaveAsync(tokens, CancellationToken.None);

        var loaded = await store.LoadAsync(CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(tokens.AccessToken, loaded.AccessToken);
        Assert.Equal(tokens.RefreshToken, loaded.RefreshToken);
        Assert.Equal(tokens.ExpiresAt, loaded.ExpiresAt);
        Assert.Equal(tokens.ReceivedAt, loaded.ReceivedAt);
        Assert.Equal(tokens.User, loaded.User);

        var bytes = await File.ReadAllBytesAsync(store.FilePath);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(store.FilePath, bytes);
        Assert.Null(await store.LoadAsync(CancellationToken.None));

        await store.ClearAsync(CancellationToken.None);
        Assert.Null(await store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Another_key_ring_cannot_read_the_file()
    {
        using (var store = RotorFileTokenStore.Create(_directory))
        {
            await store.SaveAsync(SampleTokens(), CancellationToken.None);
        }

        Directory.Delete(Path.Combine(_directory, "keys"), recursive: true);
        using var stranger = RotorFileTokenStore.Create(_directory);

        Assert.Null(await stranger.LoadAsync(CancellationToken.None));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static RotorTokens SampleTokens() => new()
    {
        AccessToken = "eyJhbGciOiJFUzI1NiJ9.access-token-text.signature",
        RefreshToken = "refresh-token-secret-0123456789abcdef",
        ReceivedAt = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset(2030, 1, 1, 12, 15, 0, TimeSpan.Zero),
        SessionId = "3f2c",
        User = new RotorUser("42", "alice", "alice@example.com"),
    };
}

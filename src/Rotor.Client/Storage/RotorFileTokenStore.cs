using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Client.Internal;

namespace Rotor.Client;

/// <summary>
/// An <see cref="IRotorTokenStore"/> for desktop apps: the tokens (and a bound session's DPoP private key) survive a
/// restart in one file, encrypted with ASP.NET Core Data Protection (authenticated encryption, keys rotated by the
/// library) and, on Unix, readable only by its owner (mode 0600 in a 0700 folder).
/// </summary>
/// <remarks>
/// <see cref="Create"/> keeps the Data Protection key ring in a <c>keys</c> folder beside the file, also owner-only. On
/// Windows Data Protection encrypts that key ring with DPAPI for the current user; on Linux and macOS the key ring is as
/// safe as its folder's permissions, so the file alone (a backup, a synced folder) is useless without the keys. To keep the
/// keys elsewhere, for example protected with a certificate, pass your own <see cref="IDataProtectionProvider"/>.
/// </remarks>
public sealed class RotorFileTokenStore : IRotorTokenStore, IDisposable
{
    private const string Purpose = "Rotor.Client.RotorFileTokenStore.v1";
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly IDataProtector _protector;
    private readonly ServiceProvider? _ownedServices;
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Creates a store that writes <paramref name="filePath"/>, encrypted with <paramref name="dataProtection"/>.</summary>
    /// <param name="filePath">The file; its folder is created owner-only if missing.</param>
    /// <param name="dataProtection">The Data Protection provider whose keys encrypt the file.</param>
    public RotorFileTokenStore(string filePath, IDataProtectionProvider dataProtection)
        : this(filePath, dataProtection, null)
    {
    }

    private RotorFileTokenStore(string filePath, IDataProtectionProvider dataProtection, ServiceProvider? ownedServices)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        ArgumentNullException.ThrowIfNull(dataProtection);
        FilePath = Path.GetFullPath(filePath);
        CreateOwnerOnlyFolder(Path.GetDirectoryName(FilePath)!);
        _protector = dataProtection.CreateProtector(Purpose);
        _ownedServices = ownedServices;
    }

    /// <summary>The file the tokens are written to.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Creates a store in <paramref name="directory"/>: the tokens in <c>session.dat</c>, the Data Protection key ring
    /// in <c>keys/</c>, both owner-only.
    /// </summary>
    /// <param name="directory">A folder of the app's own, such as one under the user's local application data.</param>
    /// <param name="applicationName">Isolates this app's keys from other apps sharing the key folder. Default: <c>Rotor.Client</c>.</param>
    /// <returns>The store; dispose it when the app ends.</returns>
    public static RotorFileTokenStore Create(string directory, string applicationName = "Rotor.Client")
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(applicationName);
        var root = Path.GetFullPath(directory);
        var keys = Path.Combine(root, "keys");
        CreateOwnerOnlyFolder(root);
        CreateOwnerOnlyFolder(keys);
        var services = new ServiceCollection();
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(keys))
            .SetApplicationName(applicationName);
        var provider = services.BuildServiceProvider();
        try
        {
            return new RotorFileTokenStore(Path.Combine(root, "session.dat"), provider.GetRequiredService<IDataProtectionProvider>(), provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>A file that cannot be decrypted (keys lost, file damaged or from another user) reads as no tokens.</remarks>
    public async ValueTask<RotorTokens?> LoadAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            byte[] sealedBytes;
            try
            {
                sealedBytes = await File.ReadAllBytesAsync(FilePath, cancellationToken);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }

            StoredTokens? stored;
            try
            {
                var json = _protector.Unprotect(sealedBytes);
                stored = JsonSerializer.Deserialize(json, RotorJsonContext.Default.StoredTokens);
            }
            catch (Exception ex) when (ex is CryptographicException or JsonException)
            {
                return null;
            }

            if (stored is not { Version: 1 or 2 })
            {
                return null;
            }

            return new RotorTokens
            {
                AccessToken = stored.AccessToken,
                RefreshToken = stored.RefreshToken,
                ReceivedAt = stored.ReceivedAt,
                ExpiresAt = stored.ExpiresAt,
                SessionId = stored.SessionId,
                User = stored.User,
                TokenType = stored.TokenType ?? "Bearer",
                DpopKey = stored.DpopKey,
            };
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(RotorTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        // A session without a DPoP key is written exactly as before (version 1), so an older version still reads it.
        var stored = tokens.DpopKey is null
            ? new StoredTokens(1, tokens.AccessToken, tokens.RefreshToken, tokens.ReceivedAt, tokens.ExpiresAt, tokens.SessionId, tokens.User)
            : new StoredTokens(2, tokens.AccessToken, tokens.RefreshToken, tokens.ReceivedAt, tokens.ExpiresAt, tokens.SessionId, tokens.User, tokens.TokenType, tokens.DpopKey);
        var sealedBytes = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(stored, RotorJsonContext.Default.StoredTokens));

        await _lock.WaitAsync(cancellationToken);
        try
        {
            // Written beside the file and moved over it, so a crash leaves the old tokens or the new, never half.
            var temporary = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows())
            {
                // Created owner-only from the first byte; chmod after writing would leave a window.
                options.UnixCreateMode = OwnerFile;
            }

            try
            {
                await using (var stream = new FileStream(temporary, options))
                {
                    await stream.WriteAsync(sealedBytes, cancellationToken);
                }

                File.Move(temporary, FilePath, overwrite: true);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(FilePath, OwnerFile);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            File.Delete(FilePath);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Releases the Data Protection services that <see cref="Create"/> made.</summary>
    public void Dispose()
    {
        _ownedServices?.Dispose();
        _lock.Dispose();
    }

    private static void CreateOwnerOnlyFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerFolder);
        File.SetUnixFileMode(path, OwnerFolder);
    }
}

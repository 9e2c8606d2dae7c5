using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Rotor.Tokens;

/// <summary>
/// Keys as owner-only files in <see cref="RotorOptions.KeyDirectory"/> (the single-machine default). Generation 0 keeps
/// the original file names and formats (<c>signing-key.pem</c>, <c>refresh-token.key</c>, <c>account-secret.key</c>), so
/// existing folders keep working; later generations are <c>&lt;kind&gt;.&lt;generation&gt;.json</c>. A file is created
/// under a temporary name and moved into place without overwriting, so instances sharing the folder agree on one key.
/// </summary>
internal sealed class FileKeyStore(IOptions<RotorOptions> options) : IRotorKeyStore
{
    internal const string SigningKeyFile = "signing-key.pem";
    internal const string RefreshKeyFile = "refresh-token.key";
    internal const string AccountSecretKeyFile = "account-secret.key";

    private readonly string _directory = Path.GetFullPath(options.Value.KeyDirectory);

    public Task<IReadOnlyList<StoredKey>> LoadAsync(CancellationToken cancellationToken)
    {
        CreatePrivateDirectory(_directory);
        var keys = new List<StoredKey>();
        foreach (var kind in (string[])[KeyKinds.Signing, KeyKinds.Refresh, KeyKinds.AccountSecret])
        {
            var legacy = Path.Combine(_directory, LegacyFile(kind));
            if (File.Exists(legacy))
            {
                var since = new DateTimeOffset(File.GetLastWriteTimeUtc(legacy), TimeSpan.Zero);
                keys.Add(new StoredKey(kind, 0, since, since, ReadLegacy(kind, legacy)));
            }

            foreach (var path in Directory.EnumerateFiles(_directory, kind + ".*.json"))
            {
                var name = Path.GetFileNameWithoutExtension(path);
                if (int.TryParse(name.AsSpan(kind.Length + 1), out var generation) && generation > 0)
                {
                    var file = JsonSerializer.Deserialize<KeyFile>(File.ReadAllBytes(path))
                        ?? throw new InvalidOperationException($"{path} is empty; delete it to drop that key.");
                    keys.Add(new StoredKey(kind, generation, DateTimeOffset.FromUnixTimeMilliseconds(file.CreatedAt),
                        DateTimeOffset.FromUnixTimeMilliseconds(file.ActivatesAt), Convert.FromBase64String(file.Material)));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<StoredKey>>(keys);
    }

    public Task<bool> TryAddAsync(StoredKey key, CancellationToken cancellationToken)
    {
        CreatePrivateDirectory(_directory);
        byte[] content;
        string path;
        if (key.Generation == 0)
        {
            path = Path.Combine(_directory, LegacyFile(key.Kind));
            content = key.Kind == KeyKinds.Signing
                ? Encoding.ASCII.GetBytes(PemEncoding.WriteString("PRIVATE KEY", key.Material))
                : Encoding.ASCII.GetBytes(Convert.ToBase64String(key.Material));
        }
        else
        {
            path = Path.Combine(_directory, $"{key.Kind}.{key.Generation}.json");
            content = JsonSerializer.SerializeToUtf8Bytes(new KeyFile(key.CreatedAt.ToUnixTimeMilliseconds(), key.ActivatesAt.ToUnixTimeMilliseconds(), Convert.ToBase64String(key.Material)));
        }

        var created = TryCreate(path, content);
        if (created && key.Generation == 0)
        {
            // The original formats have no room for times: the file's own time says when generation 0 began.
            File.SetLastWriteTimeUtc(path, key.ActivatesAt.UtcDateTime);
        }

        return Task.FromResult(created);
    }

    public Task RemoveAsync(string kind, int generation, CancellationToken cancellationToken)
    {
        File.Delete(Path.Combine(_directory, generation == 0 ? LegacyFile(kind) : $"{kind}.{generation}.json"));
        return Task.CompletedTask;
    }

    private static string LegacyFile(string kind) => kind switch
    {
        KeyKinds.Signing => SigningKeyFile,
        KeyKinds.Refresh => RefreshKeyFile,
        _ => AccountSecretKeyFile,
    };

    private static byte[] ReadLegacy(string kind, string path)
    {
        var text = File.ReadAllText(path, Encoding.ASCII);
        if (kind == KeyKinds.Signing)
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(text);
            return key.ExportPkcs8PrivateKey();
        }

        var secret = Convert.FromBase64String(text.Trim());
        if (secret.Length < 32)
        {
            throw new InvalidOperationException($"{path} holds fewer than 32 bytes; delete it to generate a new key (for {kind} keys this ends sessions or mailed codes).");
        }

        return secret;
    }

    private static bool TryCreate(string path, byte[] content)
    {
        if (File.Exists(path))
        {
            return false;
        }

        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }

    private static void CreatePrivateDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private sealed record KeyFile(long CreatedAt, long ActivatesAt, string Material);
}

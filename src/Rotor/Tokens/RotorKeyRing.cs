using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Rotor.Tokens;

/// <summary>
/// The server's keys: the ES256 key that signs access tokens, the key that authenticates refresh tokens, and
/// the key under which mailed codes and reset tokens are hashed. They live in <see cref="RotorOptions.KeyDirectory"/>, never in the database, so a copy of the
/// database alone can neither mint nor use a token, nor test guesses of a mailed code. Generated on first start; a restart reuses them.
/// </summary>
internal sealed class RotorKeyRing
{
    internal const string SigningKeyFile = "signing-key.pem";
    internal const string RefreshKeyFile = "refresh-token.key";
    internal const string AccountSecretKeyFile = "account-secret.key";

    private readonly ECParameters _signingParameters;

    public RotorKeyRing(IOptions<RotorOptions> options)
    {
        var directory = Path.GetFullPath(options.Value.KeyDirectory);
        CreatePrivateDirectory(directory);

        var pem = ReadOrCreate(Path.Combine(directory, SigningKeyFile), () =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem());
        });
        using (var key = ECDsa.Create())
        {
            key.ImportFromPem(Encoding.ASCII.GetString(pem));
            _signingParameters = key.ExportParameters(includePrivateParameters: true);
        }

        if (_signingParameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new InvalidOperationException($"The signing key in {directory} is not a P-256 key; ES256 needs P-256. Delete {SigningKeyFile} to generate a new one.");
        }

        RefreshTokenKey = ReadSecretKey(Path.Combine(directory, RefreshKeyFile), "this signs every session out");
        AccountSecretKey = ReadSecretKey(Path.Combine(directory, AccountSecretKeyFile), "codes and reset links already mailed stop working");

        KeyId = ComputeThumbprint(_signingParameters);
        var q = _signingParameters.Q;
        Jwks = $"{{\"keys\":[{{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\",\"alg\":\"ES256\",\"kid\":\"{KeyId}\",\"x\":\"{Base64Url(q.X!)}\",\"y\":\"{Base64Url(q.Y!)}\"}}]}}";
    }

    /// <summary>The key id (RFC 7638 thumbprint) of the signing key.</summary>
    public string KeyId { get; }

    /// <summary>The JSON Web Key Set publishing the public signing key (no private member).</summary>
    public string Jwks { get; }

    /// <summary>The HMAC key that authenticates refresh tokens.</summary>
    public byte[] RefreshTokenKey { get; }

    /// <summary>The key mailed one-time secrets are hashed under (<see cref="Accounts.AccountSecrets"/> derives its keys from it).</summary>
    public byte[] AccountSecretKey { get; }

    /// <summary>A new ECDsa holding the private signing key; the caller owns it.</summary>
    public ECDsa CreateSigningKey() => ECDsa.Create(_signingParameters);

    /// <summary>The public part of the signing key.</summary>
    public ECParameters PublicParameters => new() { Curve = _signingParameters.Curve, Q = _signingParameters.Q };

    private static byte[] ReadSecretKey(string path, string consequence)
    {
        var text = ReadOrCreate(path, () => Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        var key = Convert.FromBase64String(Encoding.ASCII.GetString(text).Trim());
        if (key.Length < 32)
        {
            throw new InvalidOperationException($"{path} holds fewer than 32 bytes; delete it to generate a new key ({consequence}).");
        }

        return key;
    }

    private static byte[] ReadOrCreate(string path, Func<byte[]> create)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        // Write a private temp file, then move it into place without overwriting: when several instances start
        // together on one shared folder, exactly one key wins and every instance reads that one.
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(create());
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
        }

        return File.ReadAllBytes(path);
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

    internal static string ComputeThumbprint(ECParameters parameters)
    {
        // RFC 7638: the required members in lexicographic order, no white space.
        var json = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url(parameters.Q.X!)}\",\"y\":\"{Base64Url(parameters.Q.Y!)}\"}}";
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    internal static string Base64Url(byte[] data) => System.Buffers.Text.Base64Url.EncodeToString(data);
}

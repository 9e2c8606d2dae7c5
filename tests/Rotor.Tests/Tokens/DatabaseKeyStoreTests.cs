using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Tokens;

/// <summary>
/// The fleet's key store: keys in <c>rotor_keys</c>, encrypted under a key-encryption key from configuration, so a copy
/// of the database alone can neither mint nor use a token.
/// </summary>
public sealed class DatabaseKeyStoreTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public void The_database_store_without_a_256_bit_encryption_key_stops_the_start_and_says_what_to_set(string? encryptionKey)
    {
        var settings = KeyTestKit.Fleet();
        settings["Rotor:Keys:EncryptionKey"] = encryptionKey;
        using var app = new RotorApp(settings);

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Contains("set Rotor:Keys:EncryptionKey (Rotor__Keys__EncryptionKey in the environment)", validation.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copy_of_the_database_holds_no_key_that_verifies_a_refresh_token_or_signs_an_access_token()
    {
        using var app = new RotorApp(KeyTestKit.Fleet());
        using var client = app.Client();
        var session = await client.NewNativeSessionAsync();
        using (var me = await client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        var rows = await KeyTestKit.ReadKeyRowsAsync(app);
        Assert.Equal(["account", "refresh", "signing"], rows.Select(r => r.Kind).ToArray());
        Assert.False(Directory.Exists(Path.Combine(app.Directory, "keys")), "The database store writes no key files.");

        var token = System.Buffers.Text.Base64Url.DecodeFromChars(session.RefreshToken);
        var signed = token.AsSpan(0, 25).ToArray();
        var tag = token.AsSpan(25).ToArray();
        foreach (var (kind, generation, material) in rows)
        {
            // No 32 bytes of the stored row, read as an HMAC key, produce the token's tag.
            for (var i = 0; i + 32 <= material.Length; i++)
            {
                Assert.False(HMACSHA256.HashData(material.AsSpan(i, 32).ToArray(), signed).AsSpan().SequenceEqual(tag), $"{kind} row bytes {i}.. verify the token");
            }

            // The stored bytes are not a private key either.
            using var ecdsa = ECDsa.Create();
            Assert.ThrowsAny<CryptographicException>(() => ecdsa.ImportPkcs8PrivateKey(material, out _));
        }

        // With the key-encryption key (which is not in the database) the same rows are the keys: the test above is not vacuous.
        var refresh = rows.Single(r => r.Kind == "refresh");
        var refreshKey = KeyTestKit.Decrypt(refresh.Material, refresh.Kind, refresh.Generation, KeyTestKit.EncryptionKey);
        Assert.Equal(tag, HMACSHA256.HashData(refreshKey, signed));
        Assert.DoesNotContain(rows, r => r.Material.AsSpan().IndexOf(refreshKey) >= 0);

        var signing = rows.Single(r => r.Kind == "signing");
        using var signingKey = ECDsa.Create();
        signingKey.ImportPkcs8PrivateKey(KeyTestKit.Decrypt(signing.Material, signing.Kind, signing.Generation, KeyTestKit.EncryptionKey), out _);
        var scalar = signingKey.ExportParameters(includePrivateParameters: true).D!;
        Assert.DoesNotContain(rows, r => r.Material.AsSpan().IndexOf(scalar) >= 0);
        var parts = session.AccessToken.Split('.');
        Assert.True(signingKey.VerifyData(System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task An_instance_with_another_encryption_key_refuses_to_start_rather_than_make_new_keys()
    {
        using var first = new RotorApp(KeyTestKit.Fleet());
        using (var client = first.Client())
        {
            await client.NewNativeSessionAsync();
        }

        // The same database (instances sharing a folder share it, on either provider), another encryption key.
        using var second = new RotorApp(KeyTestKit.Fleet(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), directory: first.Directory);
        var error = Assert.ThrowsAny<Exception>(() => second.Client());
        Assert.Contains("does not decrypt under Rotor:Keys:EncryptionKey", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_can_be_encrypted_under_an_rsa_certificate_instead_of_a_secret()
    {
        using var rsa = RSA.Create(3072);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=rotor-keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var pfx = Path.Combine(Path.GetTempPath(), "rotor-tests", Guid.NewGuid().ToString("N") + ".pfx");
        Directory.CreateDirectory(Path.GetDirectoryName(pfx)!);
        File.WriteAllBytes(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "secret"));
        try
        {
            var settings = KeyTestKit.Fleet();
            settings["Rotor:Keys:EncryptionKey"] = null;
            settings["Rotor:Keys:EncryptionCertificatePath"] = pfx;
            settings["Rotor:Keys:EncryptionCertificatePassword"] = "secret";
            using var app = new RotorApp(settings);
            using var client = app.Client();
            var session = await client.NewNativeSessionAsync();
            using (var refreshed = await client.RefreshNativeAsync(session.RefreshToken))
            {
                Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            }

            var rows = await KeyTestKit.ReadKeyRowsAsync(app);
            Assert.Equal(3, rows.Count);
            Assert.All(rows, r => Assert.Equal(2, r.Material[0]));

            // The row's AES key is wrapped under the certificate: with its private key (not in the database) it opens.
            var refresh = rows.Single(r => r.Kind == "refresh");
            var length = (refresh.Material[1] << 8) | refresh.Material[2];
            var dataKey = rsa.Decrypt(refresh.Material.AsSpan(3, length).ToArray(), RSAEncryptionPadding.OaepSHA256);
            var sealedKey = refresh.Material.AsSpan(3 + length).ToArray();
            var refreshKey = KeyTestKit.Decrypt([1, .. sealedKey], "refresh", refresh.Generation, Convert.ToBase64String(dataKey));
            var token = System.Buffers.Text.Base64Url.DecodeFromChars(session.RefreshToken);
            Assert.Equal(token.AsSpan(25).ToArray(), HMACSHA256.HashData(refreshKey, token.AsSpan(0, 25)));
            Assert.DoesNotContain(rows, r => r.Material.AsSpan().IndexOf(refreshKey) >= 0);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task Two_instances_on_one_database_share_the_keys_without_a_key_folder()
    {
        using var first = new RotorApp(KeyTestKit.Fleet());
        using var a = first.Client();
        using var second = new RotorApp(KeyTestKit.Fleet(), directory: first.Directory);
        using var b = second.Client();

        var session = await a.NewNativeSessionAsync();
        using (var me = await b.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        using var refreshed = await b.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(await KeyTestKit.JwksKidsAsync(a), await KeyTestKit.JwksKidsAsync(b));
        Assert.Equal(3, (await KeyTestKit.ReadKeyRowsAsync(first)).Count);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Tests.Infrastructure;
using Rotor.Tokens;

namespace Rotor.Tests.Tokens;

/// <summary>Settings and readers shared by the key store and rotation tests.</summary>
internal static class KeyTestKit
{
    public static readonly string EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The database key store, with short periods so a rotation fits in a test.</summary>
    public static Dictionary<string, string?> Fleet(string? encryptionKey = null, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Rotor:Keys:Store"] = "Database",
            ["Rotor:Keys:EncryptionKey"] = encryptionKey ?? EncryptionKey,
            ["Rotor:AccessTokenLifetime"] = "00:05:00",
            ["Rotor:Keys:AnnouncePeriod"] = "00:10:00",
            ["Rotor:Keys:SigningKeyLifetime"] = "00:30:00",
            ["Rotor:Keys:CheckInterval"] = "00:01:00",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>What an instance does every check interval, run now and awaited.</summary>
    public static Task MaintainAsync(RotorApp app) => app.Services.GetRequiredService<RotorKeyRing>().MaintainAsync(CancellationToken.None);

    public static async Task<string[]> JwksKidsAsync(RotorClient client)
    {
        using var response = await client.SendAsync(HttpMethod.Get, "/.well-known/jwks.json", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    public static string Kid(string accessToken) => RotorClient.DecodeJwtPart(accessToken, 0).GetProperty("kid").GetString()!;

    public static async Task<List<(string Kind, int Generation, byte[] Material)>> ReadKeyRowsAsync(RotorApp app)
    {
        await using var connection = Database.Open(app);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Database.Dialect("SELECT Kind, Generation, Material FROM rotor_keys ORDER BY Kind, Generation");
        var rows = new List<(string, int, byte[])>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1), (byte[])reader.GetValue(2)));
        }

        return rows;
    }

    /// <summary>Decrypts a row as documented (format ‖ nonce ‖ tag ‖ ciphertext, AES-GCM, kind and generation as associated data).</summary>
    public static byte[] Decrypt(byte[] material, string kind, int generation, string encryptionKey)
    {
        var plaintext = new byte[material.Length - 29];
        using var aes = new AesGcm(Convert.FromBase64String(encryptionKey), 16);
        aes.Decrypt(material.AsSpan(1, 12), material.AsSpan(29), material.AsSpan(13, 16), plaintext, Encoding.UTF8.GetBytes($"rotor-key:{kind}:{generation}"));
        return plaintext;
    }
}

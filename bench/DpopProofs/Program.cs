using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

// Usage:
//   DpopProofs login  BASE KEYFILE COUNT TOKENS_OUT ACCESS_OUT   sign in COUNT bound native sessions (one user, the key in
//                                                               KEYFILE, made on first use); refresh tokens one a line
//   DpopProofs proofs KEYFILE METHOD URL DIR FILES PER_FILE [ACCESS_FILE]
//                                                               DIR/1..FILES, PER_FILE fresh proofs each (with ath of the
//                                                               token in ACCESS_FILE when given), iat = now
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: DpopProofs login|proofs ...");
    return 2;
}

return args[0] switch
{
    "login" => await LoginAsync(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), args[4], args[5]),
    "proofs" => Proofs(args[1], args[2], args[3], args[4], int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture), args.Length > 7 ? args[7] : null),
    _ => 2,
};

static ECDsa LoadKey(string file)
{
    var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    if (File.Exists(file))
    {
        key.ImportPkcs8PrivateKey(File.ReadAllBytes(file), out _);
    }
    else
    {
        File.WriteAllBytes(file, key.ExportPkcs8PrivateKey());
    }

    return key;
}

static string B64(byte[] data) => Base64Url.EncodeToString(data);

static string Proof(ECDsa key, JsonObject jwk, string method, string url, string? ath)
{
    var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = jwk.DeepClone() };
    var payload = new JsonObject
    {
        ["jti"] = B64(RandomNumberGenerator.GetBytes(16)),
        ["htm"] = method,
        ["htu"] = url,
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    };
    if (ath is not null)
    {
        payload["ath"] = ath;
    }

    var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
    return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
}

static JsonObject Jwk(ECDsa key)
{
    var p = key.ExportParameters(false);
    return new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
}

static async Task<int> LoginAsync(string baseUrl, string keyFile, int count, string tokensOut, string accessOut)
{
    using var key = LoadKey(keyFile);
    var jwk = Jwk(key);
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    const string Password = "correct horse battery";
    using (await http.PostAsJsonAsync("/auth/register", new { username = "dpopload", email = "dpopload@example.com", password = Password }))
    {
        // Already registered by an earlier run: fine.
    }

    var tokens = new List<string>();
    string? access = null;
    for (var i = 0; i < count; i++)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = JsonContent.Create(new { username = "dpopload", password = Password, mode = "native" }) };
        request.Headers.Add("DPoP", Proof(key, jwk, "POST", baseUrl.TrimEnd('/') + "/auth/login", null));
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (!response.IsSuccessStatusCode || (string?)body["tokenType"] != "DPoP")
        {
            Console.Error.WriteLine($"bound sign-in failed: {(int)response.StatusCode} {body.ToJsonString()}");
            return 1;
        }

        tokens.Add((string)body["refreshToken"]!);
        access = (string)body["accessToken"]!;
    }

    await File.WriteAllLinesAsync(tokensOut, tokens);
    await File.WriteAllTextAsync(accessOut, access);
    return 0;
}

static int Proofs(string keyFile, string method, string url, string dir, int files, int perFile, string? accessFile)
{
    using var key = LoadKey(keyFile);
    var jwk = Jwk(key);
    var ath = accessFile is null ? null : B64(SHA256.HashData(Encoding.ASCII.GetBytes(File.ReadAllText(accessFile).Trim())));
    Directory.CreateDirectory(dir);
    for (var f = 1; f <= files; f++)
    {
        using var writer = new StreamWriter(Path.Combine(dir, f.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        for (var i = 0; i < perFile; i++)
        {
            writer.WriteLine(Proof(key, jwk, method, url, ath));
        }
    }

    return 0;
}

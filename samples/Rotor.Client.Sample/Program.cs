// A console client of a Rotor server: signs in, calls the API through the session's handler, and signs out.
//   dotnet run --project samples/Rotor.Client.Sample -- --server http://localhost:5080 --user alice [--register] [--mail <dir>] [--dpop]
// The password is read from ROTOR_PASSWORD, or asked for; an account with two-step sign-in is asked for its code too.
// --register creates the account (alice@example.com) and, when the server wants the address verified first, takes the
// emailed code: from the server's mail pickup folder (--mail, default src/Rotor.Host/data/mail, where the README's run
// command writes mail), or asked for on the console.
// --dpop binds the session to a key made at sign-in (UseDpop, RFC 9449): the API calls then carry Authorization: DPoP.
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Client;

var server = new Uri(Arg("--server") ?? "http://localhost:5080/");
var user = Arg("--user") ?? "alice";
var password = Environment.GetEnvironmentVariable("ROTOR_PASSWORD") ?? Ask($"Password for {user}: ");

// The five lines: register the API client with a Rotor session, take the session and the client.
var services = new ServiceCollection();
services.AddHttpClient("api", c => c.BaseAddress = server)
        .AddRotorSession(o =>
        {
            o.ServerAddress = server;
            o.UseDpop = args.Contains("--dpop");
        });
await using var provider = services.BuildServiceProvider();
var session = provider.GetRequiredService<RotorSession>();
var api = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

session.SessionExpired += (_, e) => Console.WriteLine($"Session ended by the server ({e.Reason}); sign in again.");

var email = $"{user}@example.com";
var registering = args.Contains("--register");
var registeredAt = DateTime.UtcNow;
if (registering)
{
    using var registered = await api.PostAsJsonAsync("auth/register", new { username = user, email, password });
    Console.WriteLine($"register: {(int)registered.StatusCode}");
}

var login = await session.LoginAsync(user, password);
if (registering && login.ErrorCode == "email_not_verified")
{
    // The server wants the address proven before the first sign-in: enter the emailed code, then sign in.
    if (!await VerifyEmailAsync(server, email, registeredAt))
    {
        return 1;
    }

    login = await session.LoginAsync(user, password);
}

if (login.MfaRequired)
{
    // Two-step sign-in: the password was right and the account wants a code from the authenticator app, or a recovery code.
    var (challenge, methods) = (login.MfaChallenge!, string.Join(", ", login.MfaMethods));
    while (true)
    {
        var code = Ask($"Code from your authenticator app, or a recovery code ({methods}): ", hide: false).Trim();
        var isTotp = code.Length == 6 && code.All(char.IsAsciiDigit);
        login = await session.CompleteMfaAsync(challenge, isTotp ? code : null, isTotp ? null : code);
        if (login.ErrorCode != "mfa_code_invalid")
        {
            break;
        }

        // The challenge survives a few wrong codes; after that the server answers mfa_challenge_invalid.
        Console.WriteLine("wrong code; try again");
    }
}

if (!login.Succeeded)
{
    Console.WriteLine($"login refused: {login.ErrorCode} {login.Detail}");
    return 1;
}

Console.WriteLine($"signed in as {login.User!.Username} ({login.User.Id})");
Console.WriteLine($"/users/me: {await api.GetStringAsync("users/me")}");
Console.WriteLine($"/auth/sessions: {await api.GetStringAsync("auth/sessions")}");
Console.WriteLine($"signed out: {await session.LogoutAsync()}");
return 0;

async Task<bool> VerifyEmailAsync(Uri serverAddress, string address, DateTime since)
{
    using var http = new HttpClient { BaseAddress = serverAddress };
    for (var attempt = 0; attempt < 3; attempt++)
    {
        var code = await CodeFromPickupAsync(address, since) ?? Ask($"Verification code emailed to {address}: ", hide: false).Trim();
        // Native mode: the session verify-otp starts is ended at once; the sample signs in through RotorSession next.
        using var verified = await http.PostAsJsonAsync("auth/verify-otp", new { email = address, code, mode = "native" });
        if (verified.IsSuccessStatusCode)
        {
            Console.WriteLine("email verified");
            var body = await verified.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            if (body.ValueKind == System.Text.Json.JsonValueKind.Object && body.TryGetProperty("refreshToken", out var refresh))
            {
                using var _ = await http.PostAsJsonAsync("auth/logout", new { refreshToken = refresh.GetString() });
            }

            return true;
        }

        Console.WriteLine($"verify-otp: {(int)verified.StatusCode} {await verified.Content.ReadAsStringAsync()}");
        since = DateTime.MaxValue; // a code from the folder was refused: ask the person instead
    }

    return false;
}

// The newest code mailed to the address since registering, from the pickup folder of a server on this machine.
async Task<string?> CodeFromPickupAsync(string address, DateTime since)
{
    var folder = Arg("--mail") ?? Path.Combine("src", "Rotor.Host", "data", "mail");
    if (since == DateTime.MaxValue || !Directory.Exists(folder))
    {
        return null;
    }

    for (var waited = 0; waited < 50; waited++)
    {
        var files = new DirectoryInfo(folder).EnumerateFiles("*.eml", SearchOption.AllDirectories)
            .Where(f => f.LastWriteTimeUtc >= since.AddSeconds(-2))
            .OrderByDescending(f => f.LastWriteTimeUtc);
        foreach (var file in files)
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(file.FullName);
            }
            catch (IOException)
            {
                continue; // still being written
            }

            var to = Regex.Match(text, @"^To:.*$", RegexOptions.Multiline | RegexOptions.IgnoreCase);
            var subject = Regex.Match(text, @"^Subject:.*?\b(\d{6})\b", RegexOptions.Multiline | RegexOptions.IgnoreCase);
            if (to.Success && to.Value.Contains(address, StringComparison.OrdinalIgnoreCase) && subject.Success)
            {
                Console.WriteLine($"verification code read from {file.FullName}");
                return subject.Groups[1].Value;
            }
        }

        await Task.Delay(200);
    }

    return null;
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string Ask(string prompt, bool hide = true)
{
    Console.Write(prompt);
    if (!hide || Console.IsInputRedirected)
    {
        return Console.ReadLine() ?? "";
    }

    var password = new System.Text.StringBuilder();
    while (true)
    {
        var key = Console.ReadKey(intercept: true);
        if (key.Key == ConsoleKey.Enter)
        {
            Console.WriteLine();
            return password.ToString();
        }

        if (key.Key == ConsoleKey.Backspace && password.Length > 0)
        {
            password.Length--;
        }
        else if (!char.IsControl(key.KeyChar))
        {
            password.Append(key.KeyChar);
        }
    }
}

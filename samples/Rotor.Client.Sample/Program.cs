// A console client of a Rotor server: signs in, calls the API through the session's handler, and signs out.
//   dotnet run --project samples/Rotor.Client.Sample -- --server http://localhost:5080 --user alice [--register] [--dpop]
// The password is read from ROTOR_PASSWORD, or asked for; an account with two-step sign-in is asked for its code too.
// --dpop binds the session to a key made at sign-in (UseDpop, RFC 9449): the API calls then carry Authorization: DPoP.
using System.Net.Http.Json;
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

if (args.Contains("--register"))
{
    using var registered = await api.PostAsJsonAsync("auth/register", new { username = user, email = $"{user}@example.com", password });
    Console.WriteLine($"register: {(int)registered.StatusCode}");
}

var login = await session.LoginAsync(user, password);
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

using Rotor.Client;

// ConsoleClient <server> <username> <password>: signs in, calls the API through the session's handler, signs out.
var server = new Uri(args[0]);
using var session = new RotorSession(new RotorSessionOptions { ServerAddress = server });
var login = await session.LoginAsync(args[1], args[2]);
if (!login.Succeeded)
{
    Console.WriteLine($"login failed: {(int)login.StatusCode} {login.ErrorCode}");
    return 1;
}

using var api = new HttpClient(session.CreateHandler()) { BaseAddress = server };
Console.WriteLine(await api.GetStringAsync("/api/hello"));
Console.WriteLine($"signed out: {await session.LogoutAsync()}");
return 0;

using Rotor.Http;
using Rotor.Sessions;

namespace Rotor.Accounts;

/// <summary>The account operations Rotor's endpoints need, over the app's ASP.NET Core Identity user type.</summary>
internal interface IRotorAccounts
{
    Task<RotorOutcome<RotorUserInfo>> PasswordSignInAsync(string login, string password, ClientInfo client, CancellationToken cancellationToken);

    Task<RotorOutcome<RotorUserInfo>> RegisterAsync(string? userName, string? email, string? password, CancellationToken cancellationToken);
}

using System.Net;
using System.Text;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.RateLimiting;

/// <summary>
/// The per-account limit reads the account from the body before the handler does; a body that names two
/// accounts (a key twice, in any letter case) is refused by the handler and counts against neither.
/// </summary>
public sealed class AccountRateLimitFilterTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create(new Dictionary<string, string?>
    {
        ["Rotor:RateLimits:Login:PerAddress"] = "1000",
        ["Rotor:RateLimits:Login:PerAccount"] = "3",
        ["Rotor:RateLimits:Login:Window"] = "01:00:00",
    });

    private readonly RotorClient _client;

    public AccountRateLimitFilterTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData("username")]
    [InlineData("Username")]
    [InlineData("USERNAME")]
    public async Task Logins_naming_a_victim_twice_are_refused_and_do_not_use_up_the_victims_limit(string secondKey)
    {
        var (victim, _, _) = await _client.NewUserAsync();
        var (other, _, _) = await _client.NewUserAsync();

        for (var i = 0; i < 5; i++)
        {
            var body = $"{{\"username\":\"{victim}\",\"{secondKey}\":\"{other}\",\"password\":\"wrong password {i}\"}}";
            var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(LifecycleHost.AddressHeader, $"198.51.100.{i + 1}");
            using var response = await _client.Http.SendAsync(request);
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        }

        using var real = await _client.PostAsync("/auth/login", new { username = victim, password = RotorClient.Password, mode = "native" }, address: "198.51.100.100");
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
    }
}

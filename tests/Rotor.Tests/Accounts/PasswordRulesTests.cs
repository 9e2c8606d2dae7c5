using System.Net;
using System.Net.Http.Json;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class PasswordRulesTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;

    public PasswordRulesTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData("password")]
    [InlineData("PASSWORD1")]
    [InlineData("12345678")]
    [InlineData("iloveyou")]
    [InlineData("trustno1")]
    [InlineData("1qaz2wsx")]
    public async Task Common_passwords_are_refused_at_registration(string password)
    {
        var name = RotorClient.NewName();

        using var response = await _client.Http.PostAsJsonAsync("/auth/register", new { username = name, email = name + "@example.com", password });

        var body = await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("common", (string)body["errors"]!["password"]![0]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(128)]
    public async Task Any_password_of_8_to_128_characters_without_composition_rules_is_accepted(int length)
    {
        var name = RotorClient.NewName();
        var password = string.Concat(Enumerable.Repeat("zqvmxkwj", 16))[..length];

        using var response = await _client.Http.PostAsJsonAsync("/auth/register", new { username = name, email = name + "@example.com", password });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var login = await _client.LoginAsync(name, password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(129)]
    public async Task Shorter_or_longer_passwords_are_refused(int length)
    {
        var name = RotorClient.NewName();

        using var response = await _client.Http.PostAsJsonAsync("/auth/register", new { username = name, email = name + "@example.com", password = new string('q', length) });

        var body = await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(body["errors"]!["password"]);
    }

    [Fact]
    public void The_shipped_list_has_thousands_of_entries()
    {
        Assert.InRange(Rotor.Accounts.CommonPasswords.Count, 5_000, 50_000);
        Assert.True(Rotor.Accounts.CommonPasswords.Contains("Baseball1") || Rotor.Accounts.CommonPasswords.Contains("baseball"));
        Assert.False(Rotor.Accounts.CommonPasswords.Contains(RotorClient.Password));
    }
}

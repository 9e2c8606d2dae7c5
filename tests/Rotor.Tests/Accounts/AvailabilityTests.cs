using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class AvailabilityTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;

    public AvailabilityTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task<System.Text.Json.Nodes.JsonObject> AskAsync(string query)
    {
        using var response = await _client.Http.GetAsync("/auth/availability?" + query);
        return await LifecycleHost.AssertOkJsonAsync(response);
    }

    [Fact]
    public async Task Free_names_and_addresses_are_available()
    {
        var name = RotorClient.NewName();

        var body = await AskAsync($"username={name}&email={name}%40example.com");

        Assert.True((bool)body["username"]!["available"]!);
        Assert.True((bool)body["email"]!["available"]!);
    }

    [Fact]
    public async Task Taken_names_and_addresses_are_found_after_normalisation()
    {
        var name = "Mixed" + Guid.NewGuid().ToString("N")[..6];
        await _client.RegisterAsync(name, email: name + "@Example.com");
        var fullWidth = string.Concat(name.ToLowerInvariant().Select(c => char.IsAsciiLetterLower(c) ? (char)(c - 'a' + 'ａ') : c));

        foreach (var candidate in (string[])[name, name.ToLowerInvariant(), name.ToUpperInvariant(), fullWidth, " " + name + " "])
        {
            var body = await AskAsync("username=" + Uri.EscapeDataString(candidate));
            Assert.False((bool)body["username"]!["available"]!, candidate);
            Assert.Equal("taken", (string)body["username"]!["reason"]!);
            Assert.Null(body["email"]);
        }

        var email = await AskAsync("email=" + Uri.EscapeDataString(name.ToUpperInvariant() + "@EXAMPLE.COM"));
        Assert.False((bool)email["email"]!["available"]!);
    }

    [Fact]
    public async Task Malformed_values_are_not_available()
    {
        var body = await AskAsync("username=a%20b&email=nope");

        Assert.Equal("invalid", (string)body["username"]!["reason"]!);
        Assert.Equal("invalid", (string)body["email"]!["reason"]!);
    }

    [Fact]
    public async Task Asking_about_nothing_is_a_validation_error()
    {
        using var response = await _client.Http.GetAsync("/auth/availability");

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }
}

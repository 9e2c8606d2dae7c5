using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class ChangeUsernameTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;

    public ChangeUsernameTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_new_username_is_returned_used_for_sign_in_and_carried_by_the_next_token()
    {
        var session = await _client.NewNativeSessionAsync();
        var renamed = RotorClient.NewName();

        using var change = await _client.PostAsync("/users/me/username", new { username = renamed }, accessToken: session.AccessToken);

        var body = await LifecycleHost.AssertOkJsonAsync(change);
        Assert.Equal(renamed, (string)body["username"]!);
        Assert.Equal(session.UserId, (string)body["id"]!);
        using var refresh = await _client.RefreshNativeAsync(session.RefreshToken);
        var refreshed = await LifecycleHost.AssertOkJsonAsync(refresh);
        Assert.Equal(renamed, (string)refreshed["user"]!["username"]!);
        using var newName = await _client.LoginAsync(renamed);
        Assert.Equal(HttpStatusCode.OK, newName.StatusCode);
        using var oldName = await _client.LoginAsync(session.Username);
        Assert.Equal(HttpStatusCode.Unauthorized, oldName.StatusCode);
        Assert.Contains("username_changed", await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{session.UserId}'"));
    }

    [Fact]
    public async Task A_name_in_use_even_in_another_case_or_width_is_409()
    {
        var taken = await _client.RegisterAsync("Taken" + Guid.NewGuid().ToString("N")[..6]);
        var session = await _client.NewNativeSessionAsync();
        var name = (string)taken["username"]!;
        var fullWidth = string.Concat(name.ToLowerInvariant().Select(c => char.IsAsciiLetterLower(c) ? (char)(c - 'a' + 'ａ') : c));

        foreach (var candidate in (string[])[name, name.ToUpperInvariant(), fullWidth])
        {
            using var response = await _client.PostAsync("/users/me/username", new { username = candidate }, accessToken: session.AccessToken);
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.Conflict, "username_taken");
        }
    }

    [Fact]
    public async Task Changing_only_the_case_of_ones_own_name_is_allowed()
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.PostAsync("/users/me/username", new { username = session.Username.ToUpperInvariant() }, accessToken: session.AccessToken);

        var body = await LifecycleHost.AssertOkJsonAsync(response);
        Assert.Equal(session.Username.ToUpperInvariant(), (string)body["username"]!);
    }

    [Fact]
    public async Task Invalid_names_are_validation_errors()
    {
        var session = await _client.NewNativeSessionAsync();

        foreach (var bad in (string[])["", "ab", "has space", "semi;colon", new string('a', 33)])
        {
            using var response = await _client.PostAsync("/users/me/username", new { username = bad }, accessToken: session.AccessToken);
            var body = await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
            Assert.NotNull(body["errors"]!["username"]);
        }
    }

    [Fact]
    public async Task Without_a_bearer_token_it_is_401()
    {
        using var response = await _client.PostAsync("/users/me/username", new { username = RotorClient.NewName() });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

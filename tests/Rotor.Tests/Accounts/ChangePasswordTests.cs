using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class ChangePasswordTests : IDisposable
{
    private const string NewPassword = "a brand new passphrase";

    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;

    public ChangePasswordTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_change_revokes_every_other_session_and_keeps_the_callers()
    {
        var caller = await _client.NewNativeSessionAsync();
        var other = await _client.NativeLoginAsync(caller.Username);
        using var browserLogin = await _client.LoginAsync(caller.Username);
        var browserCookie = RotorClient.SetCookie(browserLogin)!.Value;

        using var change = await _client.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = NewPassword }, accessToken: caller.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        using var otherRefresh = await _client.RefreshNativeAsync(other.RefreshToken);
        await RotorClient.AssertProblemAsync(otherRefresh, HttpStatusCode.Unauthorized, "session_revoked");
        using var browserRefresh = await _client.RefreshBrowserAsync(browserCookie);
        await RotorClient.AssertProblemAsync(browserRefresh, HttpStatusCode.Unauthorized, "session_revoked");
        using var callerRefresh = await _client.RefreshNativeAsync(caller.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, callerRefresh.StatusCode);

        using var oldPassword = await _client.LoginAsync(caller.Username);
        await RotorClient.AssertProblemAsync(oldPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        using var newPassword = await _client.LoginAsync(caller.Username, NewPassword);
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
        Assert.Contains("password_changed", await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{caller.UserId}'"));
    }

    [Fact]
    public async Task A_wrong_current_password_is_refused_and_counts_toward_lockout()
    {
        var session = await _client.NewNativeSessionAsync();

        for (var i = 0; i < 4; i++)
        {
            using var wrong = await _client.PostAsync("/users/me/password", new { currentPassword = "not my password", newPassword = NewPassword }, accessToken: session.AccessToken);
            var body = await RotorClient.AssertProblemAsync(wrong, HttpStatusCode.BadRequest, "current_password_invalid");
            Assert.NotNull(body["errors"]!["currentPassword"]);
        }

        using var fifth = await _client.PostAsync("/users/me/password", new { currentPassword = "not my password", newPassword = NewPassword }, accessToken: session.AccessToken);
        await RotorClient.AssertProblemAsync(fifth, (HttpStatusCode)423, "locked_out");
        Assert.True(fifth.Headers.RetryAfter!.Delta > TimeSpan.Zero);

        // Locked: even the right password neither changes it nor signs in.
        using var right = await _client.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = NewPassword }, accessToken: session.AccessToken);
        await RotorClient.AssertProblemAsync(right, (HttpStatusCode)423, "locked_out");
        using var login = await _client.LoginAsync(session.Username);
        await RotorClient.AssertProblemAsync(login, (HttpStatusCode)423, "locked_out");
    }

    [Fact]
    public async Task Wrong_sign_ins_and_wrong_current_passwords_add_up()
    {
        var session = await _client.NewNativeSessionAsync();
        for (var i = 0; i < 3; i++)
        {
            (await _client.LoginAsync(session.Username, "wrong password")).Dispose();
        }

        using var fourth = await _client.PostAsync("/users/me/password", new { currentPassword = "wrong again", newPassword = NewPassword }, accessToken: session.AccessToken);
        await RotorClient.AssertProblemAsync(fourth, HttpStatusCode.BadRequest, "current_password_invalid");
        using var fifth = await _client.LoginAsync(session.Username, "wrong password");
        await RotorClient.AssertProblemAsync(fifth, (HttpStatusCode)423, "locked_out");
    }

    [Fact]
    public async Task Weak_new_passwords_are_refused_and_nothing_changes()
    {
        var session = await _client.NewNativeSessionAsync();
        var other = await _client.NativeLoginAsync(session.Username);

        foreach (var weak in (string[])["password", "qwertyuiop", "1234567890", "seven77", new string('x', 129)])
        {
            using var refused = await _client.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = weak }, accessToken: session.AccessToken);
            var body = await RotorClient.AssertProblemAsync(refused, HttpStatusCode.BadRequest, "validation_failed");
            Assert.NotNull(body["errors"]!["newPassword"]);
        }

        using var missing = await _client.PostAsync("/users/me/password", new { }, accessToken: session.AccessToken);
        await RotorClient.AssertProblemAsync(missing, HttpStatusCode.BadRequest, "validation_failed");
        using var otherRefresh = await _client.RefreshNativeAsync(other.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, otherRefresh.StatusCode);
        using var login = await _client.LoginAsync(session.Username);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_long_passphrase_without_composition_is_accepted()
    {
        var session = await _client.NewNativeSessionAsync();
        var passphrase = string.Concat(Enumerable.Repeat("plain lowercase words ", 5))[..100];

        using var change = await _client.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = passphrase }, accessToken: session.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        using var login = await _client.LoginAsync(session.Username, passphrase);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Without_a_bearer_token_it_is_401()
    {
        using var response = await _client.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

using System.Net;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>
/// A password change or reset is one unit: the new hash, the spent link and the revoked sessions are stored
/// together or not at all, so a 503 "nothing was changed" is true.
/// </summary>
public sealed class PasswordChangeAtomicityTests : IDisposable
{
    private const string NewPassword = "a brand new passphrase";

    private readonly FailingRevocation _failure = new();
    private readonly RotorApp _app;
    private readonly RotorClient _client;
    private readonly PickupMailbox _mail;

    public PasswordChangeAtomicityTests()
    {
        _app = LifecycleHost.Create(services: _failure.Register);
        _client = _app.Client();
        _mail = LifecycleHost.Mailbox(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_change_that_fails_while_revoking_sessions_changes_nothing()
    {
        var caller = await _client.NewNativeSessionAsync();
        var other = await _client.NativeLoginAsync(caller.Username);

        _failure.Arm();
        using var failed = await _client.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = NewPassword }, accessToken: caller.AccessToken);

        Assert.True(_failure.Fired);
        await RotorClient.AssertProblemAsync(failed, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        using (var oldPassword = await _client.LoginAsync(caller.Username))
        {
            Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        }

        using (var newPassword = await _client.LoginAsync(caller.Username, NewPassword))
        {
            await RotorClient.AssertProblemAsync(newPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using (var otherRefresh = await _client.RefreshNativeAsync(other.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.OK, otherRefresh.StatusCode);
        }

        using (var me = await _client.SendAsync(HttpMethod.Get, "/users/me", other.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        Assert.DoesNotContain("password_changed", await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{caller.UserId}'"));

        // The same request again, without the failure: everything is applied, and the caller's session goes on.
        using var change = await _client.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = NewPassword }, accessToken: caller.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        using (var oldPassword = await _client.LoginAsync(caller.Username))
        {
            await RotorClient.AssertProblemAsync(oldPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using (var newPassword = await _client.LoginAsync(caller.Username, NewPassword, mode: "native"))
        {
            Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
        }

        using (var callerRefresh = await _client.RefreshNativeAsync(caller.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.OK, callerRefresh.StatusCode);
        }

        using var revoked = await _client.RefreshNativeAsync(other.RefreshToken);
        await RotorClient.AssertProblemAsync(revoked, HttpStatusCode.Unauthorized, "session_revoked");
        Assert.Contains("password_changed", await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{caller.UserId}'"));
    }

    [Fact]
    public async Task A_reset_that_fails_while_revoking_sessions_changes_nothing_and_keeps_the_link()
    {
        var session = await _client.NewNativeSessionAsync();
        var email = session.Username + "@example.com";
        using (var forgot = await _client.PostAsync("/auth/forgot-password", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }

        var token = MailContent.ResetToken(await _mail.WaitForAsync(email));

        _failure.Arm();
        using var failed = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });

        Assert.True(_failure.Fired);
        await RotorClient.AssertProblemAsync(failed, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        using (var oldPassword = await _client.LoginAsync(session.Username))
        {
            Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        }

        using (var refresh = await _client.RefreshNativeAsync(session.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        }

        Assert.Equal(0, await Database.CountAsync(_app, "SELECT COUNT(*) FROM rotor_account_tokens WHERE Purpose = 'reset_password' AND ConsumedAt IS NOT NULL"));

        // The link was not spent: it works now, and everything is applied.
        using var reset = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using (var oldPassword = await _client.LoginAsync(session.Username))
        {
            await RotorClient.AssertProblemAsync(oldPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using (var newPassword = await _client.LoginAsync(session.Username, NewPassword))
        {
            Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
        }

        using var revoked = await _client.RefreshNativeAsync(session.RefreshToken);
        await RotorClient.AssertProblemAsync(revoked, HttpStatusCode.Unauthorized, "session_revoked");
        using var again = await _client.PostAsync("/auth/reset-password", new { token, newPassword = "yet another passphrase" });
        await RotorClient.AssertProblemAsync(again, HttpStatusCode.BadRequest, "reset_token_used");
    }
}

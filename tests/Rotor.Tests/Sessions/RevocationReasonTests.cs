using System.Net;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Sessions;

/// <summary>
/// A refresh of a revoked session answers 401 <c>session_revoked</c> with the revocation's <c>reason</c>, so the
/// owner's other tabs and devices can say what happened ("your password was changed", "you signed out on all
/// devices") rather than a generic "signed out".
/// </summary>
public sealed class RevocationReasonTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;

    public RevocationReasonTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Log_out_everywhere_is_logout_all()
    {
        var laptop = await _client.NewNativeSessionAsync();
        var phone = await _client.NativeLoginAsync(laptop.Username);
        using (var all = await _client.SendAsync(HttpMethod.Post, "/auth/logout-all", laptop.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, all.StatusCode);
        }

        await AssertRevokedAsync(phone.RefreshToken, "logout_all");
        await AssertRevokedAsync(laptop.RefreshToken, "logout_all");
    }

    [Fact]
    public async Task A_session_ended_from_another_device_is_revoked_by_user()
    {
        var laptop = await _client.NewNativeSessionAsync();
        var phone = await _client.NativeLoginAsync(laptop.Username);
        using (var revoke = await _client.SendAsync(HttpMethod.Delete, $"/auth/sessions/{phone.SessionId}", laptop.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await AssertRevokedAsync(phone.RefreshToken, "revoked_by_user");
    }

    [Fact]
    public async Task A_password_reset_is_password_changed()
    {
        var session = await _client.NewNativeSessionAsync();
        var email = session.Username + "@example.com";
        var token = await _client.RequestResetTokenAsync(LifecycleHost.Mailbox(_app), email);
        using (var reset = await _client.PostAsync("/auth/reset-password", new { token, newPassword = "a brand new passphrase" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        await AssertRevokedAsync(session.RefreshToken, "password_changed");
    }

    [Fact]
    public async Task A_reused_token_ends_the_session_as_refresh_token_reused()
    {
        var session = await _client.NewNativeSessionAsync();
        using (var rotate = await _client.RefreshNativeAsync(session.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        }

        _app.Time.Advance(TimeSpan.FromMinutes(5));
        using (var reuse = await _client.RefreshNativeAsync(session.RefreshToken))
        {
            var problem = await RotorClient.AssertProblemAsync(reuse, HttpStatusCode.Unauthorized, "refresh_token_reused");
            Assert.False(problem.ContainsKey("reason"));
        }

        await AssertRevokedAsync(session.RefreshToken, "refresh_token_reused");
    }

    private async Task AssertRevokedAsync(string refreshToken, string reason)
    {
        using var refresh = await _client.RefreshNativeAsync(refreshToken);
        var problem = await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.Unauthorized, "session_revoked");
        Assert.Equal(reason, (string?)problem["reason"]);
    }
}

using System.Net;
using Microsoft.Extensions.Options;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Security;

/// <summary>Sensitive actions need a recent proof of identity (<c>auth_time</c> within Rotor:ReauthenticationWindow).</summary>
public sealed class ReauthenticationTests : IDisposable
{
    private static readonly TimeSpan PastTheWindow = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(2);
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public ReauthenticationTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Logout_all_after_the_window_needs_reauthentication_then_works()
    {
        var session = await _client.NewNativeSessionAsync();
        _app.Time.Advance(PastTheWindow);
        var access = await RefreshAsync(session);

        using var stale = await _client.SendAsync(HttpMethod.Post, "/auth/logout-all", access);
        await RotorClient.AssertProblemAsync(stale, HttpStatusCode.Forbidden, "reauthentication_required");

        using var reauth = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", access, new { password = RotorClient.Password });
        var body = await LifecycleHost.AssertOkJsonAsync(reauth);
        Assert.Equal("no-store", reauth.Headers.CacheControl?.ToString());
        Assert.Null(body["refreshToken"]);
        Assert.Equal("Bearer", (string)body["tokenType"]!);
        Assert.Equal(session.SessionId, Guid.Parse((string)body["sessionId"]!));
        Assert.Equal(session.UserId, (string)body["user"]!["id"]!);
        var fresh = (string)body["accessToken"]!;
        Assert.Equal(_app.Time.GetUtcNow().ToUnixTimeSeconds(), RotorClient.DecodeJwtPart(fresh, 1).GetProperty("auth_time").GetInt64());

        using var logoutAll = await _client.SendAsync(HttpMethod.Post, "/auth/logout-all", fresh);
        Assert.Equal(HttpStatusCode.NoContent, logoutAll.StatusCode);
        Assert.Contains("reauthenticated", await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{session.UserId}'"));
    }

    [Fact]
    public async Task The_renewed_auth_time_survives_refresh_and_the_refresh_token_is_unchanged()
    {
        var session = await _client.NewNativeSessionAsync();
        _app.Time.Advance(PastTheWindow);
        var refreshToken = session.RefreshToken;
        var access = await RefreshAsync(session, t => refreshToken = t);
        using var reauth = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", access, new { password = RotorClient.Password });
        Assert.Equal(HttpStatusCode.OK, reauth.StatusCode);
        var provedAt = _app.Time.GetUtcNow().ToUnixTimeSeconds();

        _app.Time.Advance(TimeSpan.FromMinutes(1));
        using var refresh = await _client.RefreshNativeAsync(refreshToken);

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var refreshed = await RotorClient.ReadJsonAsync(refresh);
        Assert.Equal(provedAt, RotorClient.DecodeJwtPart((string)refreshed["accessToken"]!, 1).GetProperty("auth_time").GetInt64());
        using var other = await _client.SendAsync(HttpMethod.Post, "/auth/logout-all", (string)refreshed["accessToken"]!);
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
    }

    [Fact]
    public async Task Revoking_another_session_needs_a_recent_sign_in_but_ending_ones_own_does_not()
    {
        var phone = await _client.NewNativeSessionAsync();
        var laptop = await _client.NativeLoginAsync(phone.Username);
        _app.Time.Advance(PastTheWindow);
        var access = await RefreshAsync(laptop);

        using var other = await _client.SendAsync(HttpMethod.Delete, $"/auth/sessions/{phone.SessionId}", access);
        using var garbage = await _client.SendAsync(HttpMethod.Delete, "/auth/sessions/not-a-session", access);
        using var own = await _client.SendAsync(HttpMethod.Delete, $"/auth/sessions/{laptop.SessionId}", access);

        await RotorClient.AssertProblemAsync(other, HttpStatusCode.Forbidden, "reauthentication_required");
        await RotorClient.AssertProblemAsync(garbage, HttpStatusCode.Forbidden, "reauthentication_required");
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        using var phoneRefresh = await _client.RefreshNativeAsync(phone.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, phoneRefresh.StatusCode);
    }

    [Theory]
    [InlineData("/users/me/mfa/setup")]
    [InlineData("/users/me/mfa/enable")]
    [InlineData("/users/me/mfa/disable")]
    [InlineData("/users/me/mfa/recovery-codes")]
    [InlineData("/users/me/email")]
    public async Task Sensitive_settings_need_a_recent_sign_in(string path)
    {
        var session = await _client.NewNativeSessionAsync();
        _app.Time.Advance(PastTheWindow);
        var access = await RefreshAsync(session);

        using var response = await _client.SendAsync(HttpMethod.Post, path, access, new { code = "123456", email = "x@example.com" });

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Forbidden, "reauthentication_required");
        using var status = await _client.SendAsync(HttpMethod.Get, "/users/me/mfa", access);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_invalid_credentials_and_counts_toward_lockout()
    {
        var session = await _client.NewNativeSessionAsync();

        for (var i = 0; i < 4; i++)
        {
            using var wrong = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", session.AccessToken, new { password = "not the password" });
            await RotorClient.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        using var fifth = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", session.AccessToken, new { password = "not the password" });
        await RotorClient.AssertProblemAsync(fifth, HttpStatusCode.Locked, "locked_out");
        using var right = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", session.AccessToken, new { password = RotorClient.Password });
        await RotorClient.AssertProblemAsync(right, HttpStatusCode.Locked, "locked_out");
        using var login = await _client.LoginAsync(session.Username);
        await RotorClient.AssertProblemAsync(login, HttpStatusCode.Locked, "locked_out");
    }

    [Fact]
    public async Task With_two_step_sign_in_the_code_is_needed_too()
    {
        var user = await _client.NewMfaUserAsync();
        var access = user.Session.AccessToken;

        using var noCode = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", access, new { password = RotorClient.Password });
        using var wrongCode = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", access, new { password = RotorClient.Password, code = user.Authenticator.Wrong() });
        using var wrongPassword = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", access, new { password = "not the password", code = user.Authenticator.Next() });
        using var ok = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", access, new { password = RotorClient.Password, code = user.Authenticator.Next() });

        var problem = await RotorClient.AssertProblemAsync(noCode, HttpStatusCode.Unauthorized, "mfa_required");
        Assert.Null(problem["challenge"]);
        await RotorClient.AssertProblemAsync(wrongCode, HttpStatusCode.Unauthorized, "mfa_code_invalid");
        await RotorClient.AssertProblemAsync(wrongPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Reauthenticating_needs_a_bearer_token_and_a_password()
    {
        var session = await _client.NewNativeSessionAsync();

        using var anonymous = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", null, new { password = RotorClient.Password });
        using var empty = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", session.AccessToken, new { password = "" });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await RotorClient.AssertProblemAsync(empty, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task A_revoked_session_cannot_be_reauthenticated()
    {
        var session = await _client.NewNativeSessionAsync();
        using var logout = await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = session.RefreshToken });

        using var reauth = await _client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", session.AccessToken, new { password = RotorClient.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, reauth.StatusCode);
    }

    [Fact]
    public async Task The_window_is_configurable()
    {
        using var app = new RotorApp(new Dictionary<string, string?> { ["Rotor:ReauthenticationWindow"] = "00:00:30" });
        using var client = app.Client();
        var session = await client.NewNativeSessionAsync();

        app.Time.Advance(TimeSpan.FromSeconds(20));
        using var inside = await client.SendAsync(HttpMethod.Post, "/users/me/mfa/setup", session.AccessToken);
        app.Time.Advance(TimeSpan.FromSeconds(12));
        using var outside = await client.SendAsync(HttpMethod.Post, "/users/me/mfa/setup", session.AccessToken);

        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        await RotorClient.AssertProblemAsync(outside, HttpStatusCode.Forbidden, "reauthentication_required");
    }

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("2.00:00:00")]
    public void A_window_out_of_range_stops_the_start_with_a_message_naming_it(string value)
    {
        using var app = new RotorApp(new Dictionary<string, string?> { ["Rotor:ReauthenticationWindow"] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Contains("Rotor:ReauthenticationWindow", validation.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A current access token from a refresh: refreshing keeps the session's <c>auth_time</c>, so it is as old as the
    /// sign-in. The session's new refresh token is returned beside it.
    /// </summary>
    private async Task<string> RefreshAsync(NativeSession session, Action<string>? newRefreshToken = null)
    {
        using var refresh = await _client.RefreshNativeAsync(session.RefreshToken);
        var body = await LifecycleHost.AssertOkJsonAsync(refresh);
        newRefreshToken?.Invoke((string)body["refreshToken"]!);
        return (string)body["accessToken"]!;
    }
}

using System.Net;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class PasswordResetTests : IDisposable
{
    private const string NewPassword = "a brand new passphrase";

    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;
    private readonly PickupMailbox _mail;

    public PasswordResetTests()
    {
        _client = _app.Client();
        _mail = LifecycleHost.Mailbox(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task<string> RequestTokenAsync(string email, int skip = 0)
    {
        using var forgot = await _client.PostAsync("/auth/forgot-password", new { email });
        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        return MailContent.ResetToken(await _mail.WaitForAsync(email, skip));
    }

    [Fact]
    public async Task Reset_sets_the_password_revokes_every_session_and_signs_nobody_in()
    {
        var native = await _client.NewNativeSessionAsync();
        var email = native.Username + "@example.com";
        using var browserLogin = await _client.LoginAsync(native.Username);
        var browserCookie = RotorClient.SetCookie(browserLogin)!.Value;

        var token = await RequestTokenAsync(email);
        using var reset = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(await reset.Content.ReadAsStringAsync());
        Assert.Null(RotorClient.SetCookie(reset));
        using var nativeRefresh = await _client.RefreshNativeAsync(native.RefreshToken);
        await RotorClient.AssertProblemAsync(nativeRefresh, HttpStatusCode.Unauthorized, "session_revoked");
        using var browserRefresh = await _client.RefreshBrowserAsync(browserCookie);
        await RotorClient.AssertProblemAsync(browserRefresh, HttpStatusCode.Unauthorized, "session_revoked");
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", native.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);

        using var oldPassword = await _client.LoginAsync(native.Username);
        await RotorClient.AssertProblemAsync(oldPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        using var newPassword = await _client.LoginAsync(native.Username, NewPassword);
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);

        var events = await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{native.UserId}'");
        Assert.Contains("password_reset", events);
        Assert.Contains("session_revoked", events);
    }

    [Fact]
    public async Task The_link_is_built_from_the_public_origin_never_from_the_Host_header()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/forgot-password") { Content = System.Net.Http.Json.JsonContent.Create(new { email }) };
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        using var forgot = await _client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);

        var link = MailContent.ResetLink(await _mail.WaitForAsync(email));

        Assert.Equal(LifecycleHost.PublicOrigin + "/reset-password", link.GetLeftPart(UriPartial.Path));
    }

    [Fact]
    public async Task A_reset_token_works_only_once()
    {
        var (username, email, _) = await _client.NewUserAsync();
        var token = await RequestTokenAsync(email);
        using var first = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        using var second = await _client.PostAsync("/auth/reset-password", new { token, newPassword = "yet another passphrase" });

        await RotorClient.AssertProblemAsync(second, HttpStatusCode.BadRequest, "reset_token_used");
        using var login = await _client.LoginAsync(username, NewPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_reset_token_expires_after_an_hour()
    {
        var (username, email, _) = await _client.NewUserAsync();
        var token = await RequestTokenAsync(email);

        _app.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var late = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });

        await RotorClient.AssertProblemAsync(late, HttpStatusCode.BadRequest, "reset_token_expired");
        using var login = await _client.LoginAsync(username);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_newer_link_replaces_the_older_one()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var older = await RequestTokenAsync(email);
        var newer = await RequestTokenAsync(email, skip: 1);

        using var stale = await _client.PostAsync("/auth/reset-password", new { token = older, newPassword = NewPassword });
        await RotorClient.AssertProblemAsync(stale, HttpStatusCode.BadRequest, "reset_token_used");
        using var fresh = await _client.PostAsync("/auth/reset-password", new { token = newer, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, fresh.StatusCode);
    }

    [Fact]
    public async Task Forged_and_tampered_tokens_are_invalid()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var token = await RequestTokenAsync(email);
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        string[] forged = ["garbage", Guid.NewGuid().ToString("N") + "." + new string('A', 43), tampered, new string('x', 5000)];

        foreach (var candidate in forged)
        {
            using var response = await _client.PostAsync("/auth/reset-password", new { token = candidate, newPassword = NewPassword });
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "reset_token_invalid");
        }

        using var missing = await _client.PostAsync("/auth/reset-password", new { newPassword = NewPassword });
        await RotorClient.AssertProblemAsync(missing, HttpStatusCode.BadRequest, "reset_token_invalid");

        // None of that spent the real token.
        using var real = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, real.StatusCode);
    }

    [Fact]
    public async Task A_common_or_short_new_password_is_refused_and_leaves_the_link_working()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var token = await RequestTokenAsync(email);

        foreach (var weak in (string[])["password1", "Password123", "iloveyou", "short"])
        {
            using var refused = await _client.PostAsync("/auth/reset-password", new { token, newPassword = weak });
            var body = await RotorClient.AssertProblemAsync(refused, HttpStatusCode.BadRequest, "validation_failed");
            Assert.NotNull(body["errors"]!["newPassword"]);
        }

        using var ok = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
    }

    [Fact]
    public async Task Forgot_password_answers_alike_for_known_and_unknown_addresses()
    {
        var (_, known, _) = await _client.NewUserAsync();
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";

        // The handler only queues a job (the worker looks the address up), so the answer, and the work done
        // before it, cannot depend on whether the address has an account.
        using var knownResponse = await _client.PostAsync("/auth/forgot-password", new { email = known });
        using var unknownResponse = await _client.PostAsync("/auth/forgot-password", new { email = unknown });

        Assert.Equal(HttpStatusCode.Accepted, knownResponse.StatusCode);
        Assert.Equal(knownResponse.StatusCode, unknownResponse.StatusCode);
        Assert.Equal(await knownResponse.Content.ReadAsStringAsync(), await unknownResponse.Content.ReadAsStringAsync());
        Assert.Equal(Headers(knownResponse), Headers(unknownResponse));

        await _mail.WaitForAsync(known);
        var (_, marker, _) = await _client.NewUserAsync();
        (await _client.PostAsync("/auth/forgot-password", new { email = marker })).Dispose();
        await _mail.WaitForAsync(marker);
        Assert.Empty(_mail.For(unknown));
    }

    [Fact]
    public async Task Reset_lifts_a_lockout()
    {
        var (username, email, _) = await _client.NewUserAsync();
        for (var i = 0; i < 5; i++)
        {
            (await _client.LoginAsync(username, "wrong password")).Dispose();
        }

        using (var locked = await _client.LoginAsync(username))
        {
            Assert.Equal((HttpStatusCode)423, locked.StatusCode);
        }

        var token = await RequestTokenAsync(email);
        using var reset = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);

        using var login = await _client.LoginAsync(username, NewPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_reset_verifies_the_address_and_retires_a_pending_code()
    {
        using var app = LifecycleHost.Create(verification: true);
        using var client = app.Client();
        var mail = LifecycleHost.Mailbox(app);
        var (username, email, _) = await client.NewUserAsync();
        var code = MailContent.Code(await mail.WaitForAsync(email));

        using (var forgot = await client.PostAsync("/auth/forgot-password", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }

        var token = MailContent.ResetToken(await mail.WaitForAsync(email, skip: 1));
        using var reset = await client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);

        using var login = await client.LoginAsync(username, NewPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var verify = await client.PostAsync("/auth/verify-otp", new { email, code });
        await RotorClient.AssertProblemAsync(verify, HttpStatusCode.BadRequest, "otp_invalid");
    }

    [Fact]
    public async Task A_malformed_address_is_a_validation_error()
    {
        using var response = await _client.PostAsync("/auth/forgot-password", new { email = "not an address" });

        var body = await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(body["errors"]!["email"]);
    }

    private static string Headers(HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => h.Key + ": " + string.Join(",", h.Value)));
}

using System.Net;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class EmailVerificationTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create(verification: true);
    private readonly RotorClient _client;
    private readonly PickupMailbox _mail;

    public EmailVerificationTests()
    {
        _client = _app.Client();
        _mail = LifecycleHost.Mailbox(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Registration_mails_a_code_that_verifies_the_address_and_signs_in_with_a_cookie()
    {
        var (username, email, id) = await _client.NewUserAsync();

        var mail = await _mail.WaitForAsync(email);
        var code = MailContent.Code(mail);
        Assert.Matches("^[0-9]{6}$", code);
        Assert.False(string.IsNullOrEmpty(mail.HtmlBody));

        using var before = await _client.LoginAsync(username);
        await RotorClient.AssertProblemAsync(before, HttpStatusCode.Forbidden, "email_not_verified");

        using var verify = await _client.PostAsync("/auth/verify-otp", new { email, code });
        var body = await LifecycleHost.AssertOkJsonAsync(verify);
        Assert.Equal("no-store", verify.Headers.CacheControl?.ToString());
        Assert.Equal(id, (string)body["user"]!["id"]!);
        Assert.Null(body["refreshToken"]);
        var cookie = RotorClient.SetCookie(verify);
        Assert.NotNull(cookie);
        Assert.True(cookie!.Has("httponly"));

        using var refresh = await _client.RefreshBrowserAsync(cookie.Value);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        using var after = await _client.LoginAsync(username);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("email_verified", await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{id}'"));
    }

    [Fact]
    public async Task Native_mode_verification_returns_the_refresh_token_in_the_body()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await _mail.WaitForAsync(email));

        using var verify = await _client.PostAsync("/auth/verify-otp", new { email, code, mode = "native" });

        var body = await LifecycleHost.AssertOkJsonAsync(verify);
        Assert.Null(RotorClient.SetCookie(verify));
        using var refresh = await _client.RefreshNativeAsync((string)body["refreshToken"]!);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_before_verification_is_just_invalid_credentials()
    {
        var (username, email, _) = await _client.NewUserAsync();
        await _mail.WaitForAsync(email);

        using var wrong = await _client.LoginAsync(username, "not the password at all");

        await RotorClient.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task A_code_works_only_once()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await _mail.WaitForAsync(email));
        using var first = await _client.PostAsync("/auth/verify-otp", new { email, code, mode = "native" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await _client.PostAsync("/auth/verify-otp", new { email, code, mode = "native" });

        await RotorClient.AssertProblemAsync(second, HttpStatusCode.BadRequest, "otp_invalid");
    }

    [Fact]
    public async Task A_code_expires_after_ten_minutes()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await _mail.WaitForAsync(email));

        _app.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var late = await _client.PostAsync("/auth/verify-otp", new { email, code });

        await RotorClient.AssertProblemAsync(late, HttpStatusCode.BadRequest, "otp_expired");
    }

    [Fact]
    public async Task A_code_still_works_just_before_it_expires()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await _mail.WaitForAsync(email));

        _app.Time.Advance(TimeSpan.FromMinutes(9));
        using var inTime = await _client.PostAsync("/auth/verify-otp", new { email, code });

        Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_codes_burn_the_code()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await _mail.WaitForAsync(email));
        var wrong = code == "000000" ? "111111" : "000000";

        for (var i = 0; i < 4; i++)
        {
            using var attempt = await _client.PostAsync("/auth/verify-otp", new { email, code = wrong });
            await RotorClient.AssertProblemAsync(attempt, HttpStatusCode.BadRequest, "otp_invalid");
        }

        using var fifth = await _client.PostAsync("/auth/verify-otp", new { email, code = wrong });
        await RotorClient.AssertProblemAsync(fifth, HttpStatusCode.BadRequest, "otp_attempts_exceeded");
        using var right = await _client.PostAsync("/auth/verify-otp", new { email, code });
        await RotorClient.AssertProblemAsync(right, HttpStatusCode.BadRequest, "otp_attempts_exceeded");
    }

    [Fact]
    public async Task Parallel_guesses_get_no_more_than_five_checks()
    {
        var (_, email, id) = await _client.NewUserAsync();
        var code = MailContent.Code(await _mail.WaitForAsync(email));
        var guesses = Enumerable.Range(0, 20).Select(i => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1 + i) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture));

        var responses = await Task.WhenAll(guesses.Select(g => _client.PostAsync("/auth/verify-otp", new { email, code = g })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Equal(5, await Database.CountAsync(_app, $"SELECT COUNT(*) FROM rotor_security_events WHERE UserId = '{id}' AND Type = 'otp_failed'"));
        using var right = await _client.PostAsync("/auth/verify-otp", new { email, code });
        await RotorClient.AssertProblemAsync(right, HttpStatusCode.BadRequest, "otp_attempts_exceeded");
    }

    [Fact]
    public async Task Resend_mails_a_new_code_and_the_old_one_stops_working()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var old = MailContent.Code(await _mail.WaitForAsync(email));

        using var resend = await _client.PostAsync("/auth/resend-otp", new { email });
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        var fresh = MailContent.Code(await _mail.WaitForAsync(email, skip: 1));

        if (fresh != old)
        {
            using var stale = await _client.PostAsync("/auth/verify-otp", new { email, code = old });
            await RotorClient.AssertProblemAsync(stale, HttpStatusCode.BadRequest, "otp_invalid");
        }

        using var verify = await _client.PostAsync("/auth/verify-otp", new { email, code = fresh });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task Resend_answers_the_same_for_unknown_and_verified_addresses_and_mails_neither()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code(await _mail.WaitForAsync(email));
        using (var verify = await _client.PostAsync("/auth/verify-otp", new { email, code }))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        }

        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        using var forUnknown = await _client.PostAsync("/auth/resend-otp", new { email = unknown });
        using var forVerified = await _client.PostAsync("/auth/resend-otp", new { email });

        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, forVerified.StatusCode);
        Assert.Equal(await forUnknown.Content.ReadAsStringAsync(), await forVerified.Content.ReadAsStringAsync());

        // A later mail to a third address proves the queue has moved past both requests.
        var (_, marker, _) = await _client.NewUserAsync();
        await _mail.WaitForAsync(marker);
        Assert.Empty(_mail.For(unknown));
        Assert.Single(_mail.For(email));
    }

    [Fact]
    public async Task An_unknown_address_or_a_malformed_code_is_refused()
    {
        using var unknown = await _client.PostAsync("/auth/verify-otp", new { email = "nobody@example.com", code = "123456" });
        await RotorClient.AssertProblemAsync(unknown, HttpStatusCode.BadRequest, "otp_invalid");

        using var malformed = await _client.PostAsync("/auth/verify-otp", new { email = "nobody@example.com", code = "12ab" });
        var body = await RotorClient.AssertProblemAsync(malformed, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(body["errors"]!["code"]);

        using var noEmail = await _client.PostAsync("/auth/resend-otp", new { email = "" });
        await RotorClient.AssertProblemAsync(noEmail, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Without_required_verification_login_needs_no_code()
    {
        using var app = LifecycleHost.Create();
        using var client = app.Client();
        var (username, _, _) = await client.NewUserAsync();

        using var login = await client.LoginAsync(username);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }
}

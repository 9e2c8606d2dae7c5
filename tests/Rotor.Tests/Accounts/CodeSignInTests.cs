using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Email;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>
/// Emailed codes are no way in without the password: they only confirm an address the account is confirming,
/// wrong codes are budgeted per address across codes, and their hashes need a key the database does not hold.
/// </summary>
public sealed class CodeSignInTests
{
    // The per-address rate limits run on the real clock; the budget under test runs on the fake one.
    private static readonly Dictionary<string, string?> NoRateLimits = new() { ["Rotor:RateLimits:Enabled"] = "false" };

    [Fact]
    public async Task Without_required_verification_resend_mails_no_code_and_verify_signs_nobody_in()
    {
        using var app = LifecycleHost.Create();
        using var client = app.Client();
        var mail = LifecycleHost.Mailbox(app);
        var (_, email, _) = await client.NewUserAsync();

        using (var resend = await client.PostAsync("/auth/resend-otp", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        }

        // The queue runs in order: once the reset link is there, the resend job has been handled.
        using (var forgot = await client.PostAsync("/auth/forgot-password", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }

        var only = Assert.Single(new[] { await mail.WaitForAsync(email) }.Concat(mail.For(email).Skip(1)));
        Assert.Contains("/reset-password?token=", only.TextBody, StringComparison.Ordinal);
        Assert.Equal(0, await Database.CountAsync(app, "SELECT COUNT(*) FROM rotor_account_tokens WHERE Purpose = 'verify_email'"));

        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        using var known = await client.PostAsync("/auth/verify-otp", new { email, code = "123456" });
        using var nobody = await client.PostAsync("/auth/verify-otp", new { email = unknown, code = "123456" });
        var a = await RotorClient.AssertProblemAsync(known, HttpStatusCode.BadRequest, "otp_invalid");
        var b = await RotorClient.AssertProblemAsync(nobody, HttpStatusCode.BadRequest, "otp_invalid");
        a.Remove("traceId");
        b.Remove("traceId");
        Assert.Equal(a.ToJsonString(), b.ToJsonString());
        Assert.Null(RotorClient.SetCookie(known));
    }

    [Fact]
    public async Task A_changed_address_is_confirmed_by_its_code_without_a_session()
    {
        using var app = LifecycleHost.Create();
        using var client = app.Client();
        var mail = LifecycleHost.Mailbox(app);
        var (username, email, id) = await client.NewUserAsync();

        // What POST /users/me/email queues for the new address.
        app.Services.GetRequiredService<RotorMailQueue>().Enqueue(new RotorMailJob(RotorMailJob.VerifyEmail, email));
        var message = await mail.WaitForAsync(email);
        Assert.Contains("new address", message.TextBody, StringComparison.Ordinal);
        var code = MailContent.Code(message);

        using var verify = await client.PostAsync("/auth/verify-otp", new { email, code, mode = "native" });

        Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        Assert.Empty(await verify.Content.ReadAsStringAsync());
        Assert.Null(RotorClient.SetCookie(verify));
        Assert.Equal(0, await Database.CountAsync(app, $"SELECT COUNT(*) FROM rotor_sessions WHERE UserId = '{id}'"));
        Assert.Equal(["1"], await Database.QueryStringsAsync(app, $"SELECT EmailConfirmed FROM AspNetUsers WHERE Id = '{id}'"));
        Assert.Contains("email_verified", await Database.QueryStringsAsync(app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{id}'"));
        using var again = await client.PostAsync("/auth/verify-otp", new { email, code });
        await RotorClient.AssertProblemAsync(again, HttpStatusCode.BadRequest, "otp_invalid");
        using var login = await client.LoginAsync(username);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Under_required_verification_an_account_without_a_verification_under_way_gets_a_code_that_only_confirms()
    {
        using var app = LifecycleHost.Create(verification: true);
        using var client = app.Client();
        var mail = LifecycleHost.Mailbox(app);
        var (username, email, id) = await client.NewUserAsync();
        await mail.WaitForAsync(email);

        // As for an account made before verifications were recorded, or whose registration job was lost.
        await Database.ExecuteAsync(app, $"DELETE FROM rotor_email_verifications WHERE UserId = '{id}'");
        using (var resend = await client.PostAsync("/auth/resend-otp", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        }

        var code = MailContent.Code(await mail.WaitForAsync(email, skip: 1));
        using var verify = await client.PostAsync("/auth/verify-otp", new { email, code });

        Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        Assert.Null(RotorClient.SetCookie(verify));
        using var login = await client.LoginAsync(username);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_are_budgeted_per_address_and_a_new_code_does_not_reset_the_budget()
    {
        using var app = LifecycleHost.Create(NoRateLimits, verification: true);
        using var client = app.Client();
        var mail = LifecycleHost.Mailbox(app);
        var (_, email, _) = await client.NewUserAsync();
        var first = MailContent.Code(await mail.WaitForAsync(email));
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await client.PostAsync("/auth/verify-otp", new { email, code = Other(first) });
            await RotorClient.AssertProblemAsync(wrong, HttpStatusCode.BadRequest, "otp_invalid");
        }

        using (var resend = await client.PostAsync("/auth/resend-otp", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        }

        var second = MailContent.Code(await mail.WaitForAsync(email, skip: 1));
        using var fifth = await client.PostAsync("/auth/verify-otp", new { email, code = Other(second) });
        await RotorClient.AssertProblemAsync(fifth, HttpStatusCode.BadRequest, "otp_attempts_exceeded");
        Assert.Equal(TimeSpan.FromMinutes(15), fifth.Headers.RetryAfter?.Delta);

        using var right = await client.PostAsync("/auth/verify-otp", new { email, code = second });
        await RotorClient.AssertProblemAsync(right, HttpStatusCode.BadRequest, "otp_attempts_exceeded");
        Assert.Equal(["1"], await Database.QueryStringsAsync(app, "SELECT Strikes FROM rotor_code_budgets"));

        app.Time.Advance(TimeSpan.FromMinutes(14));
        using (var resend = await client.PostAsync("/auth/resend-otp", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        }

        var third = MailContent.Code(await mail.WaitForAsync(email, skip: 2));
        using var stillBlocked = await client.PostAsync("/auth/verify-otp", new { email, code = third });
        await RotorClient.AssertProblemAsync(stillBlocked, HttpStatusCode.BadRequest, "otp_attempts_exceeded");

        app.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        using var afterBlock = await client.PostAsync("/auth/verify-otp", new { email, code = third });
        Assert.Equal(HttpStatusCode.OK, afterBlock.StatusCode);
    }

    [Fact]
    public async Task Each_block_lasts_twice_as_long_as_the_last()
    {
        using var app = LifecycleHost.Create(NoRateLimits, verification: true);
        using var client = app.Client();
        var mail = LifecycleHost.Mailbox(app);
        var (_, email, _) = await client.NewUserAsync();
        var code = MailContent.Code(await mail.WaitForAsync(email));

        foreach (var minutes in new[] { 15, 30, 60 })
        {
            HttpResponseMessage? last = null;
            for (var i = 0; i < 5; i++)
            {
                last?.Dispose();
                last = await client.PostAsync("/auth/verify-otp", new { email, code = Other(code) });
            }

            await RotorClient.AssertProblemAsync(last!, HttpStatusCode.BadRequest, "otp_attempts_exceeded");
            Assert.Equal(TimeSpan.FromMinutes(minutes), last!.Headers.RetryAfter?.Delta);
            last.Dispose();
            app.Time.Advance(TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task A_copy_of_the_database_cannot_check_a_code()
    {
        using var app = LifecycleHost.Create(verification: true);
        using var client = app.Client();
        var mail = LifecycleHost.Mailbox(app);
        var (_, email, id) = await client.NewUserAsync();
        var code = MailContent.Code(await mail.WaitForAsync(email));

        await using var connection = Database.Open(app);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = Database.Dialect($"SELECT Salt, Hash FROM rotor_account_tokens WHERE UserId = '{id}' AND Purpose = 'verify_email'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var salt = (byte[])reader[0];
        var hash = (byte[])reader[1];

        // Everything the database holds, with the mailed code, does not reproduce the stored hash.
        Assert.NotEqual(hash, HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(code)));
        Assert.NotEqual(hash, SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(code)]));

        var key = Path.Combine(app.Directory, "keys", "account-secret.key");
        Assert.True(File.Exists(key));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }

        using var verify = await client.PostAsync("/auth/verify-otp", new { email, code });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    private static string Other(string code) => code == "000000" ? "111111" : "000000";
}

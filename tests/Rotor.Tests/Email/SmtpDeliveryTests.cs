using System.Net;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Email;

/// <summary>The verification and reset flows with mail going out over SMTP (MailKit) to a receiver on 127.0.0.1.</summary>
public sealed class SmtpDeliveryTests : IAsyncLifetime
{
    private readonly SmtpReceiver _smtp = new("rotor-mailer", "mail-secret");
    private RotorApp _app = null!;
    private RotorClient _client = null!;

    public Task InitializeAsync()
    {
        _app = LifecycleHost.Create(
            new Dictionary<string, string?>
            {
                ["Rotor:Email:Host"] = "127.0.0.1",
                ["Rotor:Email:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Rotor:Email:TlsMode"] = "None",
                ["Rotor:Email:Username"] = "rotor-mailer",
                ["Rotor:Email:Password"] = "mail-secret",
                ["Rotor:Email:From"] = "Rotor Tests <auth@rotor.test>",
            },
            verification: true);
        _client = _app.Client();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _app.Dispose();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task The_verification_code_arrives_by_smtp_and_verifies_the_account()
    {
        var (username, email, _) = await _client.NewUserAsync();

        var mail = await _smtp.WaitForAsync(email);

        Assert.Equal("auth@rotor.test", mail.From);
        Assert.Equal("rotor-mailer", _smtp.AuthenticatedAs);
        Assert.Equal("auth@rotor.test", mail.Message.From.Mailboxes.Single().Address);
        Assert.False(string.IsNullOrEmpty(mail.Message.HtmlBody));
        var code = MailContent.Code(mail.Message);
        using var verify = await _client.PostAsync("/auth/verify-otp", new { email, code, mode = "native" });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        using var login = await _client.LoginAsync(username);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Empty(LifecycleHost.Mailbox(_app).All());
    }

    [Fact]
    public async Task The_reset_link_arrives_by_smtp_and_resets_the_password()
    {
        var (username, email, _) = await _client.NewUserAsync();
        var code = MailContent.Code((await _smtp.WaitForAsync(email)).Message);
        (await _client.PostAsync("/auth/verify-otp", new { email, code })).Dispose();

        using var forgot = await _client.PostAsync("/auth/forgot-password", new { email });
        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        var token = MailContent.ResetToken((await _smtp.WaitForAsync(email, skip: 1)).Message);
        using var reset = await _client.PostAsync("/auth/reset-password", new { token, newPassword = "reset over smtp works" });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var login = await _client.LoginAsync(username, "reset over smtp works");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_with_back_off()
    {
        _smtp.RefuseNext(2);
        var (_, email, _) = await _client.NewUserAsync();

        // The worker waits on the app's clock between attempts (2 s, then 4 s): move it on until the mail arrives.
        var arrival = _smtp.WaitForAsync(email, timeout: TimeSpan.FromSeconds(30));
        while (!arrival.IsCompleted)
        {
            _app.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(arrival, Task.Delay(50));
        }

        var code = MailContent.Code((await arrival).Message);
        using var verify = await _client.PostAsync("/auth/verify-otp", new { email, code });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }
}

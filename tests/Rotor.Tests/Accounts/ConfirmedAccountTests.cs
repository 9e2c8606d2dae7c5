using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>
/// Identity's own sign-in rules bind Rotor too: <c>SignIn.RequireConfirmedAccount</c> and <c>RequireConfirmedEmail</c>
/// (set by the app, not through Rotor's options), and two-step sign-in on the verify-otp path.
/// </summary>
public sealed class ConfirmedAccountTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task An_unconfirmed_account_is_refused_after_the_right_password_only(bool account, bool email)
    {
        using var app = Create(services => services.Configure<IdentityOptions>(o =>
        {
            o.SignIn.RequireConfirmedAccount = account;
            o.SignIn.RequireConfirmedEmail = email;
        }));
        using var client = app.Client();
        var (username, address, id) = await client.NewUserAsync();

        using var wrong = await client.LoginAsync(username, "not the password");
        using var right = await client.LoginAsync(username);

        await RotorClient.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        await RotorClient.AssertProblemAsync(right, HttpStatusCode.Forbidden, "account_not_confirmed");
        Assert.Null(RotorClient.SetCookie(right));
        Assert.Equal(0, await Database.CountAsync(app, $"SELECT COUNT(*) FROM rotor_sessions WHERE UserId = '{id}'"));

        // Confirming the address with the emailed code confirms the account (Identity's default confirmation).
        using var resend = await client.PostAsync("/auth/resend-otp", new { email = address });
        var code = MailContent.Code(await LifecycleHost.Mailbox(app).WaitForAsync(address));
        using var verify = await client.PostAsync("/auth/verify-otp", new { email = address, code });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        using var after = await client.LoginAsync(username);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Without_the_identity_options_unconfirmed_accounts_sign_in_as_before()
    {
        using var app = Create();
        using var client = app.Client();
        var (username, _, _) = await client.NewUserAsync();

        using var login = await client.LoginAsync(username);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Verifying_an_address_does_not_skip_the_second_step()
    {
        using var app = Create(verification: true);
        using var client = app.Client();
        var mailbox = LifecycleHost.Mailbox(app);
        var (username, address, _) = await client.NewUserAsync();
        using var verify = await client.PostAsync("/auth/verify-otp", new { email = address, code = MailContent.Code(await mailbox.WaitForAsync(address)), mode = "native" });
        var session = NativeSession.From(await LifecycleHost.AssertOkJsonAsync(verify), username);
        using var setup = await client.SendAsync(HttpMethod.Post, "/users/me/mfa/setup", session.AccessToken);
        var totp = new Totp((string)(await LifecycleHost.AssertOkJsonAsync(setup))["sharedKey"]!);
        using var enable = await client.SendAsync(HttpMethod.Post, "/users/me/mfa/enable", session.AccessToken, new { code = totp.Next() });
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);

        // A new address is unverified and gets a code: verifying it proves the mailbox, not the second factor.
        var newAddress = "new-" + address;
        using var change = await client.SendAsync(HttpMethod.Post, "/users/me/email", session.AccessToken, new { email = newAddress });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        var code = MailContent.Code(await mailbox.WaitForAsync(newAddress));
        using var verifyNew = await client.PostAsync("/auth/verify-otp", new { email = newAddress, code });

        var problem = await RotorClient.AssertProblemAsync(verifyNew, HttpStatusCode.Unauthorized, "mfa_required");
        Assert.Null(RotorClient.SetCookie(verifyNew));
        using var second = await client.SecondStepAsync((string)problem["challenge"]!, code: totp.Next());
        var body = await LifecycleHost.AssertOkJsonAsync(second);
        Assert.Null(body["refreshToken"]);
        Assert.NotNull(RotorClient.SetCookie(second));
        Assert.Equal(newAddress, (string)body["user"]!["email"]!);
    }

    private static RotorApp Create(Action<IServiceCollection>? services = null, bool verification = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rotor-tests", Guid.NewGuid().ToString("N"));
        return new RotorApp(
            new Dictionary<string, string?>
            {
                ["Rotor:Email:PickupDirectory"] = Path.Combine(directory, "mail"),
                ["Rotor:RequireEmailVerification"] = verification ? "true" : "false",
            },
            services,
            directory);
    }
}

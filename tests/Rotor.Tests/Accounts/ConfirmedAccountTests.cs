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

        // Registration mailed a code, since the account could not sign in without one; confirming the address
        // with it confirms the account (Identity's default confirmation).
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
        var (username, address, id) = await client.NewUserAsync();

        // The app turned two-step sign-in on (its own Identity code) before the address was verified.
        string key;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = (await users.FindByIdAsync(id))!;
            Assert.True((await users.ResetAuthenticatorKeyAsync(user)).Succeeded);
            Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        var code = MailContent.Code(await mailbox.WaitForAsync(address));
        using var verify = await client.PostAsync("/auth/verify-otp", new { email = address, code });

        // Verifying proves the mailbox, not the second factor: no session until the code from the app.
        var problem = await RotorClient.AssertProblemAsync(verify, HttpStatusCode.Unauthorized, "mfa_required");
        Assert.Null(RotorClient.SetCookie(verify));
        using var second = await client.SecondStepAsync((string)problem["challenge"]!, code: new Totp(key).Next());
        var body = await LifecycleHost.AssertOkJsonAsync(second);
        Assert.Null(body["refreshToken"]);
        Assert.NotNull(RotorClient.SetCookie(second));
        Assert.Equal(username, (string)body["user"]!["username"]!);
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

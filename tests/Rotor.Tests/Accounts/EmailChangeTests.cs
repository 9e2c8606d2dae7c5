using System.Net;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary><c>POST /users/me/email</c>: a recent sign-in, the new address unverified with a code, other sessions ended.</summary>
public sealed class EmailChangeTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;
    private readonly PickupMailbox _mail;

    public EmailChangeTests()
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
    public async Task The_new_address_is_unverified_gets_a_code_and_other_sessions_end()
    {
        var phone = await _client.NewNativeSessionAsync();
        var laptop = await _client.NativeLoginAsync(phone.Username);
        var address = RotorClient.NewName() + "@example.org";

        using var change = await _client.SendAsync(HttpMethod.Post, "/users/me/email", laptop.AccessToken, new { email = " " + address + " " });

        var body = await LifecycleHost.AssertOkJsonAsync(change);
        Assert.Equal(address, (string)body["email"]!);
        Assert.Equal(phone.UserId, (string)body["id"]!);
        Assert.Equal(phone.Username, (string)body["username"]!);
        Assert.Equal(["0"], await Database.QueryStringsAsync(_app, $"SELECT EmailConfirmed FROM AspNetUsers WHERE Id = '{phone.UserId}'"));
        var code = MailContent.Code(await _mail.WaitForAsync(address));
        using var phoneRefresh = await _client.RefreshNativeAsync(phone.RefreshToken);
        await RotorClient.AssertProblemAsync(phoneRefresh, HttpStatusCode.Unauthorized, "session_revoked");
        using var laptopRefresh = await _client.RefreshNativeAsync(laptop.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, laptopRefresh.StatusCode);
        Assert.Contains("email_changed", await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{phone.UserId}'"));

        // A changed address is only confirmed by its code (204): a session comes from the password, as before.
        using var verify = await _client.PostAsync("/auth/verify-otp", new { email = address, code });
        Assert.Equal(HttpStatusCode.NoContent, verify.StatusCode);
        Assert.Null(RotorClient.SetCookie(verify));
        Assert.Equal(["1"], await Database.QueryStringsAsync(_app, $"SELECT EmailConfirmed FROM AspNetUsers WHERE Id = '{phone.UserId}'"));
        using var login = await _client.LoginAsync(address);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_code_mailed_to_an_earlier_address_does_not_verify_the_new_one()
    {
        var session = await _client.NewNativeSessionAsync();
        var first = RotorClient.NewName() + "@example.org";
        using (var change = await _client.SendAsync(HttpMethod.Post, "/users/me/email", session.AccessToken, new { email = first }))
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        }

        var firstCode = MailContent.Code(await _mail.WaitForAsync(first));
        var second = RotorClient.NewName() + "@example.org";
        using (var change = await _client.SendAsync(HttpMethod.Post, "/users/me/email", session.AccessToken, new { email = second }))
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        }

        using var stale = await _client.PostAsync("/auth/verify-otp", new { email = second, code = firstCode });
        await RotorClient.AssertProblemAsync(stale, HttpStatusCode.BadRequest, "otp_invalid");
        var code = MailContent.Code(await _mail.WaitForAsync(second));
        using var ok = await _client.PostAsync("/auth/verify-otp", new { email = second, code });
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
    }

    [Fact]
    public async Task With_required_verification_the_new_address_must_be_verified_before_the_next_sign_in()
    {
        using var app = LifecycleHost.Create(verification: true);
        using var client = app.Client();
        var mailbox = LifecycleHost.Mailbox(app);
        var (username, oldAddress, _) = await client.NewUserAsync();
        using var verify = await client.PostAsync("/auth/verify-otp", new { email = oldAddress, code = MailContent.Code(await mailbox.WaitForAsync(oldAddress)), mode = "native" });
        var session = NativeSession.From(await LifecycleHost.AssertOkJsonAsync(verify), username);
        var newAddress = RotorClient.NewName() + "@example.org";

        using var change = await client.SendAsync(HttpMethod.Post, "/users/me/email", session.AccessToken, new { email = newAddress });

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        using var login = await client.LoginAsync(username);
        await RotorClient.AssertProblemAsync(login, HttpStatusCode.Forbidden, "email_not_verified");

        // The session goes on, and an unverified address does not stop it proving the password again.
        using var reauth = await client.SendAsync(HttpMethod.Post, "/auth/reauthenticate", session.AccessToken, new { password = RotorClient.Password });
        Assert.Equal(HttpStatusCode.OK, reauth.StatusCode);
        using var ok = await client.PostAsync("/auth/verify-otp", new { email = newAddress, code = MailContent.Code(await mailbox.WaitForAsync(newAddress)) });
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        using var after = await client.LoginAsync(username);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task An_address_in_use_is_taken()
    {
        var other = await _client.RegisterAsync();
        var session = await _client.NewNativeSessionAsync();

        using var taken = await _client.SendAsync(HttpMethod.Post, "/users/me/email", session.AccessToken, new { email = ((string)other["email"]!).ToUpperInvariant() });

        await RotorClient.AssertProblemAsync(taken, HttpStatusCode.Conflict, "email_taken");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("name@localhost")]
    public async Task A_malformed_address_is_a_validation_failure(string email)
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.SendAsync(HttpMethod.Post, "/users/me/email", session.AccessToken, new { email });

        var problem = await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["email"]);
    }

    [Fact]
    public async Task The_same_address_changes_nothing()
    {
        var user = await _client.RegisterAsync();
        var session = await _client.NativeLoginAsync((string)user["username"]!);

        using var same = await _client.SendAsync(HttpMethod.Post, "/users/me/email", session.AccessToken, new { email = (string)user["email"]! });

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        using var refresh = await _client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }
}

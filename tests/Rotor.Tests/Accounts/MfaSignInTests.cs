using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>Two-step sign-in with an authenticator app (RFC 6238) and recovery codes, in both session modes.</summary>
public sealed class MfaSignInTests : IDisposable
{
    // Lockout is far away here, so the per-challenge allowance is what the tests see (MfaLockoutTests has the rest).
    private readonly RotorApp _app = new(services: services => services.Configure<IdentityOptions>(o => o.Lockout.MaxFailedAccessAttempts = 50));
    private readonly RotorClient _client;

    public MfaSignInTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Setup_gives_a_base32_key_and_an_otpauth_uri_and_nothing_changes_until_it_is_confirmed()
    {
        var session = await _client.NewNativeSessionAsync();

        using var setup = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/setup", session.AccessToken);

        var body = await LifecycleHost.AssertOkJsonAsync(setup);
        Assert.Equal("no-store", setup.Headers.CacheControl?.ToString());
        var sharedKey = (string)body["sharedKey"]!;
        Assert.Matches("^([a-z2-7]{4} )*[a-z2-7]{1,4}$", sharedKey);
        var secret = sharedKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Equal($"otpauth://totp/rotor:{session.Username}?secret={secret}&issuer=rotor&digits=6", (string)body["authenticatorUri"]!);
        var status = await _client.MfaStatusAsync(session.AccessToken);
        Assert.False((bool)status["enabled"]!);
        Assert.Equal(0, (int)status["recoveryCodesLeft"]!);
        using var login = await _client.LoginAsync(session.Username, mode: "native");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Native_sign_in_needs_the_authenticator_code_and_only_then_issues_tokens()
    {
        var user = await _client.NewMfaUserAsync();
        Assert.Equal(10, user.RecoveryCodes.Length);
        Assert.Equal(10, user.RecoveryCodes.Distinct().Count());
        var status = await _client.MfaStatusAsync(user.Session.AccessToken);
        Assert.True((bool)status["enabled"]!);
        Assert.Equal(10, (int)status["recoveryCodesLeft"]!);

        var challenge = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var second = await _client.SecondStepAsync(challenge, code: user.Authenticator.Next());

        var body = await LifecycleHost.AssertOkJsonAsync(second);
        Assert.Equal("no-store", second.Headers.CacheControl?.ToString());
        Assert.False(string.IsNullOrEmpty((string?)body["refreshToken"]));
        Assert.Null(RotorClient.SetCookie(second));
        Assert.Equal(user.Session.UserId, (string)body["user"]!["id"]!);
        var payload = RotorClient.DecodeJwtPart((string)body["accessToken"]!, 1);
        Assert.Equal(_app.Time.GetUtcNow().ToUnixTimeSeconds(), payload.GetProperty("auth_time").GetInt64());
        using var refresh = await _client.RefreshNativeAsync((string)body["refreshToken"]!);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task Browser_sign_in_gets_its_cookie_from_the_second_step_only()
    {
        var user = await _client.NewMfaUserAsync();

        var challenge = await _client.PasswordStepAsync(user.Session.Username);
        using var second = await _client.SecondStepAsync(challenge, code: "12345");

        await RotorClient.AssertProblemAsync(second, HttpStatusCode.Unauthorized, "mfa_code_invalid");
        Assert.Null(RotorClient.SetCookie(second));

        // A code typed with a space in the middle, as apps show it, is still the code.
        using var retry = await _client.SecondStepAsync(challenge, code: SpacedOut(user.Authenticator.Next()));
        var body = await LifecycleHost.AssertOkJsonAsync(retry);
        Assert.Null(body["refreshToken"]);
        var cookie = RotorClient.SetCookie(retry);
        Assert.NotNull(cookie);
        Assert.True(cookie!.Has("httponly"));
        using var refresh = await _client.RefreshBrowserAsync(cookie.Value);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task A_code_is_accepted_once_and_refused_when_replayed()
    {
        var user = await _client.NewMfaUserAsync();
        var code = user.Authenticator.Next();
        var first = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var used = await _client.SecondStepAsync(first, code: code);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);

        var second = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var replayed = await _client.SecondStepAsync(second, code: code);

        await RotorClient.AssertProblemAsync(replayed, HttpStatusCode.Unauthorized, "mfa_code_invalid");
        using var fresh = await _client.SecondStepAsync(second, code: user.Authenticator.Next());
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task The_code_confirming_the_key_cannot_be_used_again_to_sign_in()
    {
        var session = await _client.NewNativeSessionAsync();
        using var setup = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/setup", session.AccessToken);
        var totp = new Totp((string)(await LifecycleHost.AssertOkJsonAsync(setup))["sharedKey"]!);
        var code = totp.Next();
        using var enable = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/enable", session.AccessToken, new { code });
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);

        var challenge = await _client.PasswordStepAsync(session.Username, "native");
        using var replayed = await _client.SecondStepAsync(challenge, code: code);

        await RotorClient.AssertProblemAsync(replayed, HttpStatusCode.Unauthorized, "mfa_code_invalid");
    }

    [Fact]
    public async Task Enabling_with_a_wrong_code_is_a_400_and_leaves_two_step_sign_in_off()
    {
        var session = await _client.NewNativeSessionAsync();
        using var setup = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/setup", session.AccessToken);
        var totp = new Totp((string)(await LifecycleHost.AssertOkJsonAsync(setup))["sharedKey"]!);

        using var wrong = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/enable", session.AccessToken, new { code = totp.Wrong() });
        using var empty = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/enable", session.AccessToken, new { code = "" });

        await RotorClient.AssertProblemAsync(wrong, HttpStatusCode.BadRequest, "mfa_code_invalid");
        await RotorClient.AssertProblemAsync(empty, HttpStatusCode.BadRequest, "validation_failed");
        Assert.False((bool)(await _client.MfaStatusAsync(session.AccessToken))["enabled"]!);
    }

    [Fact]
    public async Task A_wrong_code_leaves_the_challenge_usable_for_five_wrong_codes_in_all()
    {
        var user = await _client.NewMfaUserAsync();
        var challenge = await _client.PasswordStepAsync(user.Session.Username, "native");

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await _client.SecondStepAsync(challenge, code: user.Authenticator.Wrong());
            await RotorClient.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "mfa_code_invalid");
        }

        using var spent = await _client.SecondStepAsync(challenge, code: user.Authenticator.Next());
        await RotorClient.AssertProblemAsync(spent, HttpStatusCode.Unauthorized, "mfa_challenge_invalid");
        Assert.Contains("mfa_failed", await Events(user.Session.UserId));
    }

    [Fact]
    public async Task A_challenge_works_once()
    {
        var user = await _client.NewMfaUserAsync();
        var challenge = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var first = await _client.SecondStepAsync(challenge, code: user.Authenticator.Next());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var again = await _client.SecondStepAsync(challenge, code: user.Authenticator.Next());

        await RotorClient.AssertProblemAsync(again, HttpStatusCode.Unauthorized, "mfa_challenge_invalid");
    }

    [Fact]
    public async Task A_challenge_expires_after_five_minutes()
    {
        var user = await _client.NewMfaUserAsync();
        var challenge = await _client.PasswordStepAsync(user.Session.Username, "native");

        _app.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var late = await _client.SecondStepAsync(challenge, code: user.Authenticator.Next());

        await RotorClient.AssertProblemAsync(late, HttpStatusCode.Unauthorized, "mfa_challenge_invalid");
    }

    [Fact]
    public async Task A_password_change_ends_pending_challenges()
    {
        var user = await _client.NewMfaUserAsync();
        var challenge = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var change = await _client.SendAsync(HttpMethod.Post, "/users/me/password", user.Session.AccessToken,
            new { currentPassword = RotorClient.Password, newPassword = "a different passphrase" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        using var second = await _client.SecondStepAsync(challenge, code: user.Authenticator.Next());

        await RotorClient.AssertProblemAsync(second, HttpStatusCode.Unauthorized, "mfa_challenge_invalid");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-challenge")]
    [InlineData("0123456789abcdef0123456789abcdef.!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("\u0000\u0001")]
    [InlineData(null)]
    public async Task Malformed_challenges_are_refused_as_invalid(string? challenge)
    {
        using var response = await _client.SecondStepAsync(challenge, code: "123456");

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "mfa_challenge_invalid");
    }

    [Fact]
    public async Task A_huge_challenge_is_refused_without_a_server_error()
    {
        using var response = await _client.SecondStepAsync(new string('A', 12_000), code: "123456");
        using var tooLarge = await _client.SecondStepAsync(new string('A', 20_000), code: "123456");

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "mfa_challenge_invalid");
        await RotorClient.AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Fact]
    public async Task Another_users_challenge_id_with_ones_own_secret_is_invalid()
    {
        var alice = await _client.NewMfaUserAsync();
        var bob = await _client.NewMfaUserAsync();
        var aliceChallenge = await _client.PasswordStepAsync(alice.Session.Username, "native");
        var bobChallenge = await _client.PasswordStepAsync(bob.Session.Username, "native");

        using var mixed = await _client.SecondStepAsync(aliceChallenge[..33] + bobChallenge[33..], code: alice.Authenticator.Next());

        await RotorClient.AssertProblemAsync(mixed, HttpStatusCode.Unauthorized, "mfa_challenge_invalid");
        using var own = await _client.SecondStepAsync(aliceChallenge, code: alice.Authenticator.Next());
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Neither_or_both_codes_is_a_validation_failure()
    {
        var user = await _client.NewMfaUserAsync();
        var challenge = await _client.PasswordStepAsync(user.Session.Username, "native");

        using var neither = await _client.SecondStepAsync(challenge);
        using var both = await _client.SecondStepAsync(challenge, code: user.Authenticator.Next(), recoveryCode: user.RecoveryCodes[0]);

        var problem = await RotorClient.AssertProblemAsync(neither, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["code"]);
        await RotorClient.AssertProblemAsync(both, HttpStatusCode.BadRequest, "validation_failed");
        using var ok = await _client.SecondStepAsync(challenge, recoveryCode: user.RecoveryCodes[0]);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var user = await _client.NewMfaUserAsync();
        var recovery = user.RecoveryCodes[3];

        var first = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var used = await _client.SecondStepAsync(first, recoveryCode: recovery.ToLowerInvariant());
        var body = await LifecycleHost.AssertOkJsonAsync(used);

        var second = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var again = await _client.SecondStepAsync(second, recoveryCode: recovery);
        await RotorClient.AssertProblemAsync(again, HttpStatusCode.Unauthorized, "mfa_code_invalid");
        Assert.Equal(9, (int)(await _client.MfaStatusAsync((string)body["accessToken"]!))["recoveryCodesLeft"]!);
        Assert.Contains("recovery_code_used", await Events(user.Session.UserId));
    }

    [Fact]
    public async Task New_recovery_codes_replace_the_old_ones()
    {
        var user = await _client.NewMfaUserAsync();

        using var regenerate = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/recovery-codes", user.Session.AccessToken);

        var fresh = (await LifecycleHost.AssertOkJsonAsync(regenerate))["recoveryCodes"]!.AsArray().Select(c => (string)c!).ToArray();
        Assert.Equal(10, fresh.Length);
        Assert.Empty(fresh.Intersect(user.RecoveryCodes));
        var challenge = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var old = await _client.SecondStepAsync(challenge, recoveryCode: user.RecoveryCodes[0]);
        await RotorClient.AssertProblemAsync(old, HttpStatusCode.Unauthorized, "mfa_code_invalid");
        using var ok = await _client.SecondStepAsync(challenge, recoveryCode: fresh[0]);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("recovery_codes_regenerated", await Events(user.Session.UserId));
    }

    [Fact]
    public async Task Recovery_codes_cannot_be_made_while_two_step_sign_in_is_off()
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/recovery-codes", session.AccessToken);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Enabling_ends_the_other_sessions_and_keeps_this_one()
    {
        var phone = await _client.NewNativeSessionAsync();
        var laptop = await _client.NativeLoginAsync(phone.Username);
        using var setup = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/setup", laptop.AccessToken);
        var totp = new Totp((string)(await LifecycleHost.AssertOkJsonAsync(setup))["sharedKey"]!);

        using var enable = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/enable", laptop.AccessToken, new { code = totp.Next() });

        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        using var phoneRefresh = await _client.RefreshNativeAsync(phone.RefreshToken);
        await RotorClient.AssertProblemAsync(phoneRefresh, HttpStatusCode.Unauthorized, "session_revoked");
        using var laptopRefresh = await _client.RefreshNativeAsync(laptop.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, laptopRefresh.StatusCode);
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me/mfa", laptop.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("mfa_enabled", await Events(phone.UserId));
    }

    [Fact]
    public async Task Disabling_turns_the_second_step_off_keeps_sessions_and_needs_a_new_setup_to_return()
    {
        var user = await _client.NewMfaUserAsync();
        var other = await _client.MfaLoginAsync(user);

        using var disable = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/disable", user.Session.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        var status = await _client.MfaStatusAsync(user.Session.AccessToken);
        Assert.False((bool)status["enabled"]!);
        Assert.Equal(0, (int)status["recoveryCodesLeft"]!);
        using var login = await _client.LoginAsync(user.Session.Username, mode: "native");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var otherRefresh = await _client.RefreshNativeAsync(other.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, otherRefresh.StatusCode);
        using var ownRefresh = await _client.RefreshNativeAsync(user.Session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, ownRefresh.StatusCode);
        using var reenable = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/enable", user.Session.AccessToken, new { code = user.Authenticator.Next() });
        await RotorClient.AssertProblemAsync(reenable, HttpStatusCode.BadRequest, "mfa_code_invalid");
        Assert.Contains("mfa_disabled", await Events(user.Session.UserId));
    }

    [Fact]
    public async Task A_new_setup_while_enabled_turns_the_second_step_off_until_the_new_key_is_confirmed()
    {
        var user = await _client.NewMfaUserAsync();

        using var setup = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/setup", user.Session.AccessToken);

        var totp = new Totp((string)(await LifecycleHost.AssertOkJsonAsync(setup))["sharedKey"]!);
        Assert.False((bool)(await _client.MfaStatusAsync(user.Session.AccessToken))["enabled"]!);
        using var enable = await _client.SendAsync(HttpMethod.Post, "/users/me/mfa/enable", user.Session.AccessToken, new { code = totp.Next() });
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        var challenge = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var oldKey = await _client.SecondStepAsync(challenge, code: user.Authenticator.Next());
        await RotorClient.AssertProblemAsync(oldKey, HttpStatusCode.Unauthorized, "mfa_code_invalid");
        using var newKey = await _client.SecondStepAsync(challenge, code: totp.Next());
        Assert.Equal(HttpStatusCode.OK, newKey.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/users/me/mfa")]
    [InlineData("POST", "/users/me/mfa/setup")]
    [InlineData("POST", "/users/me/mfa/enable")]
    [InlineData("POST", "/users/me/mfa/disable")]
    [InlineData("POST", "/users/me/mfa/recovery-codes")]
    public async Task Settings_need_a_bearer_token(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpMethod(method), path, null, method == "POST" ? new { code = "123456" } : null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Two_step_sign_in_switched_on_by_the_app_without_a_key_still_withholds_tokens()
    {
        var user = await _client.RegisterAsync();
        await Database.ExecuteAsync(_app, $"UPDATE AspNetUsers SET TwoFactorEnabled = 1 WHERE Id = '{(string)user["id"]!}'");

        var challenge = await _client.PasswordStepAsync((string)user["username"]!, "native");
        using var second = await _client.SecondStepAsync(challenge, code: "123456");

        await RotorClient.AssertProblemAsync(second, HttpStatusCode.Unauthorized, "mfa_code_invalid");
    }

    [Fact]
    public async Task A_wrong_password_says_nothing_about_two_step_sign_in()
    {
        var user = await _client.NewMfaUserAsync();

        using var response = await _client.LoginAsync(user.Session.Username, "not the password");

        var problem = await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Null(problem["challenge"]);
        Assert.Null(problem["methods"]);
    }

    private static string SpacedOut(string code) => code[..3] + " " + code[3..];

    private Task<List<string?>> Events(string userId) =>
        Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{userId}'");
}

using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>
/// Lockout is per (account, client address): someone who knows a username can lock their own address out of it,
/// not its owner. An account guessed at from many addresses is slowed past a ceiling, but the right password from
/// an address with no failures still signs in. Identity's LockoutEnd is the app's own lock and still answers 423.
/// </summary>
public sealed class LockoutPolicyTests : IDisposable
{
    private const string Attacker = "198.51.100.66";
    private const string Owner = "203.0.113.7";
    private const string NewPassword = "a brand new passphrase";

    private readonly RotorApp _app = LifecycleHost.Create(new Dictionary<string, string?>
    {
        ["Rotor:Lockout:MaxLockout"] = "00:20:00",
        ["Rotor:Lockout:AccountFailureLimit"] = "10",
        ["Rotor:Lockout:AccountFailureWindow"] = "01:00:00",
    });

    private readonly RotorClient _client;

    public LockoutPolicyTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task An_attacker_locks_out_only_their_own_address_and_the_owner_signs_in_from_another()
    {
        var (username, email, _) = await _client.NewUserAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await LoginAsync(i % 2 == 0 ? username : email, "wrong password", Attacker);
            statuses.Add(wrong.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), (HttpStatusCode)423], statuses);
        using var attackerRight = await LoginAsync(username, RotorClient.Password, Attacker);
        await RotorClient.AssertProblemAsync(attackerRight, (HttpStatusCode)423, "locked_out");
        Assert.Equal(TimeSpan.FromMinutes(5), attackerRight.Headers.RetryAfter!.Delta);

        using var owner = await LoginAsync(username, RotorClient.Password, Owner);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        using var ownerByEmail = await LoginAsync(email, RotorClient.Password, "2001:db8:7::1");
        Assert.Equal(HttpStatusCode.OK, ownerByEmail.StatusCode);
    }

    [Fact]
    public async Task Each_new_lock_of_one_address_lasts_twice_as_long_up_to_the_cap()
    {
        var (username, _, _) = await _client.NewUserAsync();

        // An hour between rounds: each lock has ended, and so has the account's failure window (ceiling 10 here).
        var waits = new List<TimeSpan?>();
        for (var round = 0; round < 4; round++)
        {
            waits.Add(await LockAsync(username, Attacker));
            _app.Time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal([TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(20)], waits);

        // A day without failures from the address forgets its back-off.
        _app.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(TimeSpan.FromMinutes(5), await LockAsync(username, Attacker));
    }

    [Fact]
    public async Task The_right_password_from_the_address_forgets_its_failures()
    {
        var (username, _, _) = await _client.NewUserAsync();
        for (var i = 0; i < 4; i++)
        {
            (await LoginAsync(username, "wrong password", Owner)).Dispose();
        }

        using (var right = await LoginAsync(username, RotorClient.Password, Owner))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        for (var i = 0; i < 4; i++)
        {
            using var wrong = await LoginAsync(username, "wrong password", Owner);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
    }

    [Fact]
    public async Task A_password_reset_lifts_the_lock_and_forgets_the_back_off()
    {
        var (username, email, _) = await _client.NewUserAsync();
        Assert.Equal(TimeSpan.FromMinutes(5), await LockAsync(username, Owner));
        _app.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(10), await LockAsync(username, Owner));

        using (var forgot = await _client.PostAsync("/auth/forgot-password", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }

        var token = MailContent.ResetToken(await LifecycleHost.Mailbox(_app).WaitForAsync(email));
        using (var reset = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        using (var login = await LoginAsync(username, NewPassword, Owner))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        Assert.Equal(TimeSpan.FromMinutes(5), await LockAsync(username, Owner));
    }

    [Fact]
    public async Task An_account_guessed_from_many_addresses_is_slowed_but_its_owner_still_signs_in()
    {
        var (username, _, _) = await _client.NewUserAsync();

        // Ten addresses, one wrong password each, all at once: the account's ceiling (10) counts every one exactly.
        var burst = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => LoginAsync(username, "wrong password", $"198.51.100.{i}")));
        Assert.Equal(9, burst.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(1, burst.Count(r => r.StatusCode == (HttpStatusCode)423));

        // Past the ceiling an address that failed waits for the window's end, even with the right password ...
        _app.Time.Advance(TimeSpan.FromMinutes(10));
        using var failedBefore = await LoginAsync(username, RotorClient.Password, "198.51.100.3");
        await RotorClient.AssertProblemAsync(failedBefore, (HttpStatusCode)423, "locked_out");
        Assert.Equal(TimeSpan.FromMinutes(50), failedBefore.Headers.RetryAfter!.Delta);

        // ... a new address gets one try: a wrong password is refused as a lockout, and that address is done ...
        using var newWrong = await LoginAsync(username, "wrong password", "192.0.2.1");
        await RotorClient.AssertProblemAsync(newWrong, (HttpStatusCode)423, "locked_out");
        using var newThenRight = await LoginAsync(username, RotorClient.Password, "192.0.2.1");
        await RotorClient.AssertProblemAsync(newThenRight, (HttpStatusCode)423, "locked_out");

        // ... and the right password from an address with no failures signs in: proof of the password.
        using var owner = await LoginAsync(username, RotorClient.Password, Owner);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);

        _app.Time.Advance(TimeSpan.FromMinutes(50));
        using var afterWindow = await LoginAsync(username, RotorClient.Password, "198.51.100.3");
        Assert.Equal(HttpStatusCode.OK, afterWindow.StatusCode);
        foreach (var response in burst)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Unknown_names_are_slowed_past_the_ceiling_exactly_like_accounts()
    {
        var (username, _, _) = await _client.NewUserAsync();
        var ghost = RotorClient.NewName();

        foreach (var name in (string[])[username, ghost])
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 11; i++)
            {
                using var wrong = await LoginAsync(name, "wrong password", $"198.51.100.{100 + i}");
                statuses.Add(wrong.StatusCode);
            }

            Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 9), (HttpStatusCode)423, (HttpStatusCode)423], statuses);
        }
    }

    [Fact]
    public async Task A_lock_forever_answers_a_Retry_After_that_fits_in_whole_seconds()
    {
        var (username, _, userId) = await _client.NewUserAsync();
        await WithUserAsync(userId, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));

        using var right = await LoginAsync(username, RotorClient.Password, Owner);

        await RotorClient.AssertProblemAsync(right, (HttpStatusCode)423, "locked_out");
        Assert.Equal(TimeSpan.FromDays(365), right.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task A_lock_set_by_the_app_answers_423_from_every_address_and_a_reset_does_not_lift_it()
    {
        var (username, email, userId) = await _client.NewUserAsync();
        var until = _app.Time.GetUtcNow().AddHours(2);
        await WithUserAsync(userId, (users, user) => users.SetLockoutEndDateAsync(user, until));

        using var right = await LoginAsync(username, RotorClient.Password, Owner);
        await RotorClient.AssertProblemAsync(right, (HttpStatusCode)423, "locked_out");
        Assert.Equal(TimeSpan.FromHours(2), right.Headers.RetryAfter!.Delta);
        using var wrong = await LoginAsync(email, "wrong password", Attacker);
        await RotorClient.AssertProblemAsync(wrong, (HttpStatusCode)423, "locked_out");

        using (var forgot = await _client.PostAsync("/auth/forgot-password", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }

        var token = MailContent.ResetToken(await LifecycleHost.Mailbox(_app).WaitForAsync(email));
        (await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword })).Dispose();
        using var afterReset = await LoginAsync(username, NewPassword, Owner);
        await RotorClient.AssertProblemAsync(afterReset, (HttpStatusCode)423, "locked_out");

        await WithUserAsync(userId, (users, user) => users.SetLockoutEndDateAsync(user, null));
        using var unlocked = await LoginAsync(username, NewPassword, Owner);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
    }

    [Fact]
    public async Task Failed_current_passwords_lock_the_address_they_come_from_only()
    {
        var (username, _, _) = await _client.NewUserAsync();
        using var login = await LoginAsync(username, RotorClient.Password, Owner);
        var accessToken = (string)(await RotorClient.ReadJsonAsync(login))["accessToken"]!;

        for (var i = 0; i < 4; i++)
        {
            using var wrong = await _client.PostAsync("/users/me/password", new { currentPassword = "not my password", newPassword = NewPassword }, Attacker, accessToken);
            await RotorClient.AssertProblemAsync(wrong, HttpStatusCode.BadRequest, "current_password_invalid");
        }

        using var fifth = await _client.PostAsync("/users/me/password", new { currentPassword = "not my password", newPassword = NewPassword }, Attacker, accessToken);
        await RotorClient.AssertProblemAsync(fifth, (HttpStatusCode)423, "locked_out");
        using var attackerLogin = await LoginAsync(username, RotorClient.Password, Attacker);
        await RotorClient.AssertProblemAsync(attackerLogin, (HttpStatusCode)423, "locked_out");

        using var ownerChange = await _client.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = NewPassword }, Owner, accessToken);
        Assert.Equal(HttpStatusCode.NoContent, ownerChange.StatusCode);
    }

    [Fact]
    public async Task Locks_and_failures_are_in_the_security_log()
    {
        var (username, _, userId) = await _client.NewUserAsync();
        await LockAsync(username, Attacker);

        var rows = await Database.QueryStringsAsync(_app, $"SELECT Type || '|' || IpAddress || '|' || COALESCE(Detail, '') FROM rotor_security_events WHERE UserId = '{userId}' ORDER BY Id");
        Assert.Equal(5, rows.Count(r => r!.StartsWith($"login_failed|{Attacker}|", StringComparison.Ordinal)));
        Assert.Equal($"locked_out|{Attacker}|this address is locked out for 300 s", rows[^1]);
    }

    /// <summary>Five wrong passwords from <paramref name="address"/>; returns the Retry-After of the lock they cause.</summary>
    private async Task<TimeSpan?> LockAsync(string login, string address)
    {
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await LoginAsync(login, "wrong password", address);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var locked = await LoginAsync(login, "wrong password", address);
        await RotorClient.AssertProblemAsync(locked, (HttpStatusCode)423, "locked_out");
        return locked.Headers.RetryAfter?.Delta;
    }

    private Task<HttpResponseMessage> LoginAsync(string login, string password, string address) =>
        _client.PostAsync("/auth/login", new { username = login, password, mode = "native" }, address);

    private async Task WithUserAsync(string userId, Func<UserManager<IdentityUser>, IdentityUser, Task<IdentityResult>> change)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByIdAsync(userId);
        Assert.True((await change(users, user!)).Succeeded);
    }
}

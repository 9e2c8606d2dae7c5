using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rotor.Sessions;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Sessions;

/// <summary>
/// Changes the app makes with its own Identity code (a new security stamp, a lockout, a deleted user) end that
/// user's sessions: at the next refresh, and for access tokens within one revocation poll. The poll checks the users
/// recorded as changed (rotor_account_changes, written with the change) and one page of a sweep over every session,
/// which catches changes made around the app's EF Core context.
/// </summary>
public sealed class AccountStateTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public AccountStateTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    public static TheoryData<string> Changes => ["stamp", "lockout", "delete"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task An_account_changed_by_the_app_cannot_refresh(string change)
    {
        var session = await _client.NewNativeSessionAsync();
        await ChangeAsync(session.UserId, change);

        using var refresh = await _client.RefreshNativeAsync(session.RefreshToken);
        await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.Unauthorized, "account_unavailable");

        // The session is over for good: the same token now reads as a revoked session.
        using var again = await _client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task An_account_changed_by_the_app_loses_its_access_tokens_at_the_next_poll(string change)
    {
        var session = await _client.NewNativeSessionAsync();
        using (var before = await _client.SendAsync(HttpMethod.Get, "/auth/sessions", session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await ChangeAsync(session.UserId, change);
        await PollAsync();

        using var after = await _client.SendAsync(HttpMethod.Get, "/auth/sessions", session.AccessToken);
        await RotorClient.AssertProblemAsync(after, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task The_poll_leaves_other_users_and_unchanged_accounts_alone()
    {
        var changed = await _client.NewNativeSessionAsync();
        var untouched = await _client.NewNativeSessionAsync();
        await ChangeAsync(changed.UserId, "stamp");
        await PollAsync();

        using var refresh = await _client.RefreshNativeAsync(untouched.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task A_lockout_that_has_ended_does_not_end_sessions()
    {
        var session = await _client.NewNativeSessionAsync();
        await WithUserAsync(session.UserId, (users, user) => users.SetLockoutEndDateAsync(user, _app.Time.GetUtcNow().AddMinutes(-1)));

        using var refresh = await _client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task Rotors_own_username_change_keeps_every_session()
    {
        var first = await _client.NewNativeSessionAsync();
        var second = await _client.NativeLoginAsync(first.Username);
        using (var rename = await _client.SendAsync(HttpMethod.Post, "/users/me/username", first.AccessToken, new { username = RotorClient.NewName() }))
        {
            Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        }

        await PollAsync();
        using var a = await _client.RefreshNativeAsync(first.RefreshToken);
        using var b = await _client.RefreshNativeAsync(second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
    }

    [Fact]
    public async Task The_session_end_is_in_the_users_security_log()
    {
        var session = await _client.NewNativeSessionAsync();
        var other = await _client.NativeLoginAsync(session.Username);
        await ChangeAsync(session.UserId, "stamp");
        await PollAsync();

        var rows = await Database.QueryStringsAsync(_app, $"SELECT Type || ':' || Detail FROM rotor_security_events WHERE UserId = '{session.UserId}' AND Type = 'session_revoked'");
        Assert.Equal(2, rows.Count(r => r == "session_revoked:account_changed"));
        _ = other;
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task An_account_change_is_recorded_with_it_and_taken_by_the_next_poll(string change)
    {
        var session = await _client.NewNativeSessionAsync();
        await PollAsync();
        await ChangeAsync(session.UserId, change);
        Assert.Equal(1, await Database.CountAsync(_app, $"SELECT count(*) FROM rotor_account_changes WHERE UserId = '{session.UserId}'"));

        await PollAsync();
        Assert.Equal(0, await Database.CountAsync(_app, "SELECT count(*) FROM rotor_account_changes"));
        Assert.Equal(1, await Database.CountAsync(_app, $"SELECT count(*) FROM rotor_sessions WHERE UserId = '{session.UserId}' AND RevocationReason = 'account_changed'"));
    }

    [Fact]
    public async Task Edits_that_do_not_end_sessions_record_nothing()
    {
        var session = await _client.NewNativeSessionAsync();
        // One failed sign-in: the user row is updated (AccessFailedCount), the stamp and lockout are not.
        await WithUserAsync(session.UserId, (users, user) => users.AccessFailedAsync(user));
        Assert.Equal(0, await Database.CountAsync(_app, "SELECT count(*) FROM rotor_account_changes"));
    }

    [Fact]
    public async Task A_stamp_changed_around_the_apps_context_is_found_by_the_sweep()
    {
        var session = await _client.NewNativeSessionAsync();
        var other = await _client.NewNativeSessionAsync();
        await PollAsync();

        // Nothing records a change written in SQL; the sweep (a page of sessions per poll, the whole table when it is
        // one page) compares the session's stamp with the user's and ends it.
        await Database.ExecuteAsync(_app, $"UPDATE AspNetUsers SET SecurityStamp = 'CHANGED-BY-SQL' WHERE Id = '{session.UserId}'");
        await PollAsync();
        Assert.Equal(1, await Database.CountAsync(_app, $"SELECT count(*) FROM rotor_sessions WHERE UserId = '{session.UserId}' AND RevocationReason = 'account_changed'"));
        Assert.Equal(0, await Database.CountAsync(_app, $"SELECT count(*) FROM rotor_sessions WHERE UserId = '{other.UserId}' AND RevokedAt IS NOT NULL"));
    }

    private async Task ChangeAsync(string userId, string change) => await WithUserAsync(userId, change switch
    {
        "stamp" => (users, user) => users.UpdateSecurityStampAsync(user),
        "lockout" => (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue),
        _ => (users, user) => users.DeleteAsync(user),
    });

    private async Task WithUserAsync(string userId, Func<UserManager<IdentityUser>, IdentityUser, Task<IdentityResult>> change)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByIdAsync(userId);
        var result = await change(users, user!);
        Assert.True(result.Succeeded);
    }

    private Task PollAsync() =>
        _app.Services.GetServices<IHostedService>().OfType<SessionMaintenanceService>().Single().PollOnceAsync(CancellationToken.None);
}

using System.Net;
using System.Net.Http.Json;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Admin;

/// <summary>
/// The operator surface: who gets in (admins by role, read live), and what each action does to the target and
/// writes on its security log with the admin's id.
/// </summary>
public sealed class AdminEndpointTests : IDisposable
{
    private static readonly (string Method, string Path)[] Routes =
    [
        ("GET", "/admin/access"),
        ("GET", "/admin/users?q=x"),
        ("GET", "/admin/users/{id}"),
        ("GET", "/admin/users/{id}/sessions"),
        ("DELETE", "/admin/users/{id}/sessions"),
        ("DELETE", "/admin/users/{id}/sessions/00000000-0000-0000-0000-000000000001"),
        ("POST", "/admin/users/{id}/lock"),
        ("POST", "/admin/users/{id}/unlock"),
        ("GET", "/admin/users/{id}/events"),
    ];

    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public AdminEndpointTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Anonymous_callers_get_401_and_non_admins_403_on_every_admin_route_and_nothing_changes()
    {
        var target = await _client.NewNativeSessionAsync();
        var user = await _client.NewNativeSessionAsync();
        foreach (var (method, template) in Routes)
        {
            var path = template.Replace("{id}", target.UserId, StringComparison.Ordinal);
            using (var anonymous = await _client.SendAsync(new HttpMethod(method), path, null))
            {
                await RotorClient.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "invalid_token");
            }

            using var refused = await _client.SendAsync(new HttpMethod(method), path, user.AccessToken);
            await RotorClient.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "forbidden");
        }

        // The target's session survived every refused call.
        using var refresh = await _client.RefreshNativeAsync(target.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task The_role_is_read_live_so_a_demotion_refuses_the_same_token_at_once()
    {
        var admin = await AdminKit.NewAdminAsync(_client);
        using (var allowed = await _client.SendAsync(HttpMethod.Get, "/admin/access", admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        }

        await AdminKit.SetRoleAsync(_app, admin.UserId, false);

        using var refused = await _client.SendAsync(HttpMethod.Get, "/admin/access", admin.AccessToken);
        await RotorClient.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task An_admin_whose_session_was_revoked_is_refused_with_401()
    {
        var admin = await AdminKit.NewAdminAsync(_client);
        using (var logout = await _client.Http.PostAsJsonAsync("/auth/logout", new { refreshToken = admin.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var refused = await _client.SendAsync(HttpMethod.Get, "/admin/users?q=x", admin.AccessToken);
        await RotorClient.AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Search_finds_users_by_exact_username_or_email_and_by_prefix_in_pages()
    {
        var admin = await AdminKit.NewAdminAsync(_client);
        var stem = RotorClient.NewName();
        foreach (var suffix in (string[])["a", "b", "c"])
        {
            await _client.RegisterAsync(stem + suffix, $"{stem}{suffix}@example.org");
        }

        var exact = await AdminKit.GetJsonAsync(_client, $"/admin/users?q={stem.ToUpperInvariant()}B", admin.AccessToken);
        var found = Assert.Single(exact["items"]!.AsArray())!;
        Assert.Equal(stem + "b", (string?)found["userName"]);
        Assert.Equal($"{stem}b@example.org", (string?)found["email"]);
        Assert.Null(found["lockedUntil"]);

        var byEmail = await AdminKit.GetJsonAsync(_client, $"/admin/users?q={stem}c@example.org", admin.AccessToken);
        Assert.Equal(stem + "c", (string?)Assert.Single(byEmail["items"]!.AsArray())!["userName"]);

        var first = await AdminKit.GetJsonAsync(_client, $"/admin/users?q={stem}&match=prefix&limit=2", admin.AccessToken);
        Assert.Equal([stem + "a", stem + "b"], first["items"]!.AsArray().Select(u => (string?)u!["userName"]));
        Assert.True((bool)first["hasMore"]!);
        var second = await AdminKit.GetJsonAsync(_client, $"/admin/users?q={stem}&match=prefix&limit=2&page=2", admin.AccessToken);
        Assert.Equal([stem + "c"], second["items"]!.AsArray().Select(u => (string?)u!["userName"]));
        Assert.False((bool)second["hasMore"]!);

        // Without match=prefix a part of a name finds nobody; LIKE's wildcards in a query are plain characters.
        Assert.Empty((await AdminKit.GetJsonAsync(_client, $"/admin/users?q={stem}", admin.AccessToken))["items"]!.AsArray());
        Assert.Empty((await AdminKit.GetJsonAsync(_client, $"/admin/users?q={stem[..3]}%25&match=prefix", admin.AccessToken))["items"]!.AsArray());
        Assert.Empty((await AdminKit.GetJsonAsync(_client, $"/admin/users?q={stem[..3]}_{stem[4..]}&match=prefix", admin.AccessToken))["items"]!.AsArray());
    }

    [Fact]
    public async Task Sessions_show_device_and_address_and_revoking_one_ends_it_at_once_with_an_event_naming_the_admin()
    {
        var admin = await AdminKit.NewAdminAsync(_client);
        var target = await _client.NewNativeSessionAsync();
        var other = await _client.NativeLoginAsync(target.Username);

        var sessions = await AdminKit.GetArrayAsync(_client, $"/admin/users/{target.UserId}/sessions", admin.AccessToken);
        Assert.Equal(2, sessions.Count);
        var listed = sessions.Single(s => (string?)s!["id"] == target.SessionId.ToString())!;
        Assert.Equal("native", (string?)listed["mode"]);
        // The test server has no client address; the keys are there (null) for every session.
        Assert.True(listed.AsObject().ContainsKey("ipAddress"));
        Assert.True(listed.AsObject().ContainsKey("userAgent"));

        using (var revoke = await _client.SendAsync(HttpMethod.Delete, $"/admin/users/{target.UserId}/sessions/{target.SessionId}", admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var me = await _client.SendAsync(HttpMethod.Get, "/auth/sessions", target.AccessToken))
        {
            await RotorClient.AssertProblemAsync(me, HttpStatusCode.Unauthorized, "invalid_token");
        }

        using (var refresh = await _client.RefreshNativeAsync(target.RefreshToken))
        {
            await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.Unauthorized, "session_revoked");
        }

        using (var untouched = await _client.RefreshNativeAsync(other.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.OK, untouched.StatusCode);
        }

        // Revoking it again, or another user's session through this user, finds nothing.
        using (var again = await _client.SendAsync(HttpMethod.Delete, $"/admin/users/{target.UserId}/sessions/{target.SessionId}", admin.AccessToken))
        {
            await RotorClient.AssertProblemAsync(again, HttpStatusCode.NotFound, "session_not_found");
        }

        using (var wrongOwner = await _client.SendAsync(HttpMethod.Delete, $"/admin/users/{target.UserId}/sessions/{admin.SessionId}", admin.AccessToken))
        {
            await RotorClient.AssertProblemAsync(wrongOwner, HttpStatusCode.NotFound, "session_not_found");
        }

        var log = await AdminKit.EventsAsync(_client, target.UserId, admin.AccessToken);
        var revoked = Assert.Single(log, e => (string?)e["type"] == "admin_session_revoked");
        Assert.Equal(admin.UserId, (string?)revoked["actorId"]);
        Assert.Equal(target.SessionId.ToString(), (string?)revoked["sessionId"]);
        Assert.Equal("revoked_by_admin", (string?)revoked["detail"]);
        Assert.Contains(log, e => (string?)e["type"] == "admin_viewed" && (string?)e["detail"] == "sessions" && (string?)e["actorId"] == admin.UserId);

        // The user's own view says an administrator acted, not which one.
        var own = await AdminKit.GetJsonAsync(_client, "/auth/events?limit=100", other.AccessToken);
        var seen = Assert.Single(own["items"]!.AsArray(), e => (string?)e!["type"] == "admin_session_revoked")!;
        Assert.False(seen.AsObject().ContainsKey("actorId"), seen.ToJsonString());
    }

    [Fact]
    public async Task Revoke_all_ends_every_session_of_the_user_and_counts_them()
    {
        var admin = await AdminKit.NewAdminAsync(_client);
        var target = await _client.NewNativeSessionAsync();
        var second = await _client.NativeLoginAsync(target.Username);

        using (var revoke = await _client.SendAsync(HttpMethod.Delete, $"/admin/users/{target.UserId}/sessions", admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            Assert.Equal(2, (int)(await RotorClient.ReadJsonAsync(revoke))["revoked"]!);
        }

        foreach (var session in (NativeSession[])[target, second])
        {
            using var refresh = await _client.RefreshNativeAsync(session.RefreshToken);
            await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.Unauthorized, "session_revoked");
        }

        Assert.Empty(await AdminKit.GetArrayAsync(_client, $"/admin/users/{target.UserId}/sessions", admin.AccessToken));
        var evt = Assert.Single(await AdminKit.EventsAsync(_client, target.UserId, admin.AccessToken), e => (string?)e["type"] == "admin_sessions_revoked");
        Assert.Equal(admin.UserId, (string?)evt["actorId"]);

        // The admin's own session is untouched.
        using var mine = await _client.RefreshNativeAsync(admin.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task Lock_ends_sessions_and_refuses_sign_in_until_unlock()
    {
        var admin = await AdminKit.NewAdminAsync(_client);
        var target = await _client.NewNativeSessionAsync();

        using (var locking = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{target.UserId}/lock", admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, locking.StatusCode);
            Assert.Equal(1, (int)(await RotorClient.ReadJsonAsync(locking))["revoked"]!);
        }

        using (var token = await _client.SendAsync(HttpMethod.Get, "/auth/sessions", target.AccessToken))
        {
            await RotorClient.AssertProblemAsync(token, HttpStatusCode.Unauthorized, "invalid_token");
        }

        using (var refresh = await _client.RefreshNativeAsync(target.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        }

        using (var login = await _client.LoginAsync(target.Username, mode: "native"))
        {
            await RotorClient.AssertProblemAsync(login, (HttpStatusCode)423, "locked_out");
        }

        var user = await AdminKit.GetJsonAsync(_client, $"/admin/users/{target.UserId}", admin.AccessToken);
        Assert.NotNull(user["lockedUntil"]);

        using (var unlock = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{target.UserId}/unlock", admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, unlock.StatusCode);
        }

        await _client.NativeLoginAsync(target.Username);
        Assert.Null((await AdminKit.GetJsonAsync(_client, $"/admin/users/{target.UserId}", admin.AccessToken))["lockedUntil"]);

        // Each read of the log is logged too, after the read: the second read shows the first.
        await AdminKit.EventsAsync(_client, target.UserId, admin.AccessToken);
        var log = await AdminKit.EventsAsync(_client, target.UserId, admin.AccessToken);
        Assert.Equal(admin.UserId, (string?)Assert.Single(log, e => (string?)e["type"] == "admin_locked")["actorId"]);
        Assert.Equal(admin.UserId, (string?)Assert.Single(log, e => (string?)e["type"] == "admin_unlocked")["actorId"]);
        Assert.Contains(log, e => (string?)e["type"] == "admin_viewed" && (string?)e["detail"] == "security_log");
    }

    [Fact]
    public async Task An_admin_cannot_lock_their_own_account()
    {
        var admin = await AdminKit.NewAdminAsync(_client);

        using var locking = await _client.SendAsync(HttpMethod.Post, $"/admin/users/{admin.UserId}/lock", admin.AccessToken);

        await RotorClient.AssertProblemAsync(locking, HttpStatusCode.BadRequest, "validation_failed");
        using var still = await _client.SendAsync(HttpMethod.Get, "/admin/access", admin.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, still.StatusCode);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Sessions;

public sealed class SessionManagementTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public SessionManagementTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Logout_with_the_cookie_revokes_the_session_and_clears_the_cookie()
    {
        var session = await _client.NewBrowserSessionAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        request.Headers.Add("Cookie", $"{RotorClient.CookieName}={session.Cookie}");
        request.Headers.Add("X-Requested-With", "fetch");

        using var response = await _client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("", RotorClient.SetCookie(response)!.Value);
        using var refresh = await _client.RefreshBrowserAsync(session.Cookie);
        await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.Unauthorized, "session_revoked");
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task Logout_with_only_the_bearer_token_revokes_that_session()
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.SendAsync(HttpMethod.Post, "/auth/logout", session.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var refresh = await _client.RefreshNativeAsync(session.RefreshToken);
        await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    public async Task Logout_is_idempotent_for_missing_or_invalid_tokens(string? token)
    {
        using var response = token is null
            ? await _client.SendAsync(HttpMethod.Post, "/auth/logout", null)
            : await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = token });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Logout_twice_is_fine()
    {
        var session = await _client.NewNativeSessionAsync();
        using var first = await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = session.RefreshToken });
        using var second = await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = session.RefreshToken });

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
    }

    [Fact]
    public async Task Logout_all_revokes_every_session_of_the_user_and_only_theirs()
    {
        var phone = await _client.NewNativeSessionAsync();
        var laptop = await _client.NativeLoginAsync(phone.Username);
        var stranger = await _client.NewNativeSessionAsync();

        using var response = await _client.SendAsync(HttpMethod.Post, "/auth/logout-all", laptop.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var token in new[] { phone.RefreshToken, laptop.RefreshToken })
        {
            using var refresh = await _client.RefreshNativeAsync(token);
            await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.Unauthorized, "session_revoked");
        }

        using var theirs = await _client.RefreshNativeAsync(stranger.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", phone.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task Logout_all_needs_a_bearer_token()
    {
        using var response = await _client.SendAsync(HttpMethod.Post, "/auth/logout-all", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_lists_the_callers_active_sessions_and_marks_the_current_one()
    {
        var first = await _client.NewNativeSessionAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = System.Net.Http.Json.JsonContent.Create(new { username = first.Username, password = RotorClient.Password, mode = "native" }) };
        request.Headers.UserAgent.ParseAdd("RotorTests/2.0 (Phone)");
        using var secondResponse = await _client.Http.SendAsync(request);
        var second = NativeSession.From(await RotorClient.ReadJsonAsync(secondResponse), first.Username);
        var gone = await _client.NativeLoginAsync(first.Username);
        using var logout = await _client.SendAsync(HttpMethod.Post, "/auth/logout", gone.AccessToken);

        using var response = await _client.SendAsync(HttpMethod.Get, "/auth/sessions", second.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(2, list.Count);
        var current = Assert.Single(list, s => (bool)s!["current"]!);
        Assert.Equal(second.SessionId.ToString(), (string)current!["id"]!);
        Assert.Equal("RotorTests/2.0 (Phone)", (string?)current["userAgent"]);
        foreach (var field in new[] { "createdAt", "lastUsedAt", "expiresAt" })
        {
            Assert.NotNull(current[field]);
        }

        Assert.Contains(list, s => (string)s!["id"]! == first.SessionId.ToString());
    }

    [Fact]
    public async Task Revoking_another_device_ends_it_at_once()
    {
        var phone = await _client.NewNativeSessionAsync();
        var laptop = await _client.NativeLoginAsync(phone.Username);

        using var response = await _client.SendAsync(HttpMethod.Delete, $"/auth/sessions/{phone.SessionId}", laptop.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var refresh = await _client.RefreshNativeAsync(phone.RefreshToken);
        await RotorClient.AssertProblemAsync(refresh, HttpStatusCode.Unauthorized, "session_revoked");
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", phone.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        using var stillHere = await _client.SendAsync(HttpMethod.Get, "/users/me", laptop.AccessToken);
        Assert.Equal(HttpStatusCode.OK, stillHere.StatusCode);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("6f9619ff-8b86-d011-b42d-00c04fc964ff")]
    public async Task Revoking_an_unknown_session_is_404(string id)
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.SendAsync(HttpMethod.Delete, $"/auth/sessions/{id}", session.AccessToken);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.NotFound, "session_not_found");
    }

    [Fact]
    public async Task Another_users_session_cannot_be_revoked_and_reads_as_not_found()
    {
        var mine = await _client.NewNativeSessionAsync();
        var theirs = await _client.NewNativeSessionAsync();

        using var response = await _client.SendAsync(HttpMethod.Delete, $"/auth/sessions/{theirs.SessionId}", mine.AccessToken);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.NotFound, "session_not_found");
        using var refresh = await _client.RefreshNativeAsync(theirs.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task A_revocation_made_by_another_instance_reaches_this_one_through_the_poll()
    {
        var session = await _client.NewNativeSessionAsync();
        // Another server process on the same database revokes the session: nothing in this process knows.
        await Database.ExecuteAsync(_app, $"UPDATE rotor_sessions SET RevokedAt = {_app.Time.GetUtcNow().ToUnixTimeMilliseconds()}, RevocationReason = 'logout' WHERE Id = '{session.SessionId.ToString().ToUpperInvariant()}'");
        if (!TestDatabase.IsPostgreSql)
        {
            // On PostgreSQL the revocation trigger notifies this instance at commit (InstantRevocationTests); here only the poll can tell.
            using var before = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        _app.Time.Advance(TimeSpan.FromSeconds(6));
        await WaitForAsync(async () =>
        {
            using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
            return me.StatusCode == HttpStatusCode.Unauthorized;
        });
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The condition did not hold within 5 seconds.");
    }
}

using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Sessions;

public sealed class SessionRotationTests : IDisposable
{
    private readonly RotorApp _app = new(new Dictionary<string, string?>
    {
        ["Rotor:RotationGracePeriod"] = "00:00:10",
        ["Rotor:RefreshTokenLifetime"] = "01:00:00",
        ["Rotor:SessionLifetime"] = "03:00:00",
    });

    private readonly RotorClient _client;

    public SessionRotationTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Refresh_returns_a_new_access_token_and_a_new_refresh_token()
    {
        var session = await _client.NewNativeSessionAsync();
        _app.Time.Advance(TimeSpan.FromSeconds(1));

        using var response = await _client.RefreshNativeAsync(session.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await RotorClient.ReadJsonAsync(response);
        Assert.NotEqual(session.RefreshToken, (string)body["refreshToken"]!);
        Assert.NotEqual(session.AccessToken, (string)body["accessToken"]!);
        Assert.Equal(session.SessionId.ToString(), (string)body["sessionId"]!);
        Assert.Equal("Bearer", (string)body["tokenType"]!);
        Assert.Equal(900, (int)body["expiresIn"]!);
        Assert.Equal(session.Username, (string)body["user"]!["username"]!);
    }

    [Fact]
    public async Task Each_rotated_token_works_once_in_a_long_chain()
    {
        var session = await _client.NewNativeSessionAsync();
        var token = session.RefreshToken;
        var access = session.AccessToken;
        for (var i = 0; i < 20; i++)
        {
            _app.Time.Advance(TimeSpan.FromMinutes(1));
            using var response = await _client.RefreshNativeAsync(token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await RotorClient.ReadJsonAsync(response);
            token = (string)body["refreshToken"]!;
            access = (string)body["accessToken"]!;
        }

        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", access);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(session.Username, (string?)(await RotorClient.ReadJsonAsync(me))["user"]!["username"]);
    }

    [Fact]
    public async Task Within_the_grace_period_the_replaced_token_answers_with_the_current_token()
    {
        var session = await _client.NewNativeSessionAsync();
        using var first = await _client.RefreshNativeAsync(session.RefreshToken);
        var current = (string)(await RotorClient.ReadJsonAsync(first))["refreshToken"]!;

        _app.Time.Advance(TimeSpan.FromSeconds(9));
        using var replay = await _client.RefreshNativeAsync(session.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var body = await RotorClient.ReadJsonAsync(replay);
        Assert.Equal(current, (string)body["refreshToken"]!);

        // The pair the grace answer gave works: the chain goes on from it.
        using var next = await _client.RefreshNativeAsync(current);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Fifty_concurrent_refreshes_with_one_token_all_keep_the_user_signed_in()
    {
        var session = await _client.NewNativeSessionAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _client.RefreshNativeAsync(session.RefreshToken)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tokens = new HashSet<string>();
        foreach (var response in responses)
        {
            tokens.Add((string)(await RotorClient.ReadJsonAsync(response))["refreshToken"]!);
            response.Dispose();
        }

        // Exactly one rotation happened; every caller converged on the same current token.
        var only = Assert.Single(tokens);
        using var next = await _client.RefreshNativeAsync(only);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Replay_after_the_grace_period_revokes_the_whole_session_including_the_newest_token()
    {
        var session = await _client.NewNativeSessionAsync();
        using var first = await _client.RefreshNativeAsync(session.RefreshToken);
        var newest = (string)(await RotorClient.ReadJsonAsync(first))["refreshToken"]!;

        _app.Time.Advance(TimeSpan.FromSeconds(11));
        using var replay = await _client.RefreshNativeAsync(session.RefreshToken);
        await RotorClient.AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "refresh_token_reused");

        using var newestAttempt = await _client.RefreshNativeAsync(newest);
        await RotorClient.AssertProblemAsync(newestAttempt, HttpStatusCode.Unauthorized, "session_revoked");

        // The session's access token stops working at once too.
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task An_older_ancestor_is_reuse_even_within_the_grace_period()
    {
        var session = await _client.NewNativeSessionAsync();
        using var first = await _client.RefreshNativeAsync(session.RefreshToken);
        var second = (string)(await RotorClient.ReadJsonAsync(first))["refreshToken"]!;
        using var secondResponse = await _client.RefreshNativeAsync(second);
        Assert.Equal(HttpStatusCode.OK, secondResponse.StatusCode);

        using var replay = await _client.RefreshNativeAsync(session.RefreshToken);

        await RotorClient.AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "refresh_token_reused");
    }

    [Fact]
    public async Task Reuse_is_recorded_in_the_security_log()
    {
        var session = await _client.NewNativeSessionAsync();
        using var first = await _client.RefreshNativeAsync(session.RefreshToken);
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        using var replay = await _client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);

        var types = await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{session.UserId}'");
        Assert.Contains("refresh_token_reused", types);
        var reason = await Database.QueryStringsAsync(_app, $"SELECT RevocationReason FROM rotor_sessions WHERE UserId = '{session.UserId}'");
        Assert.Equal(["refresh_token_reused"], reason);
    }

    [Fact]
    public async Task Replay_after_logout_is_refused_as_revoked()
    {
        var session = await _client.NewNativeSessionAsync();
        using var logout = await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = session.RefreshToken });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        using var replay = await _client.RefreshNativeAsync(session.RefreshToken);

        await RotorClient.AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Fact]
    public async Task A_session_idle_longer_than_the_refresh_lifetime_expires()
    {
        var session = await _client.NewNativeSessionAsync();
        _app.Time.Advance(TimeSpan.FromMinutes(61));

        using var response = await _client.RefreshNativeAsync(session.RefreshToken);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_expired");
    }

    [Fact]
    public async Task Rotation_renews_the_idle_lifetime_but_never_the_absolute_one()
    {
        var session = await _client.NewNativeSessionAsync();
        var token = session.RefreshToken;

        // Refresh every 50 minutes: each rotation renews the one-hour idle window...
        for (var elapsed = 50; elapsed < 180; elapsed += 50)
        {
            _app.Time.Advance(TimeSpan.FromMinutes(50));
            using var ok = await _client.RefreshNativeAsync(token);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            token = (string)(await RotorClient.ReadJsonAsync(ok))["refreshToken"]!;
        }

        // ...but at 200 minutes the three-hour session is over however recently it was used.
        _app.Time.Advance(TimeSpan.FromMinutes(50));
        using var expired = await _client.RefreshNativeAsync(token);
        await RotorClient.AssertProblemAsync(expired, HttpStatusCode.Unauthorized, "refresh_token_expired");
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("AQGiBylIC3-bmX8guft_qXIAAAAAAAAAAJgws_h3FXEmZWoyMygBQz_rVH7-Tl-wvC9G5NntaS_N")]
    public async Task Garbage_tokens_are_invalid_and_empty_ones_missing(string token)
    {
        using var response = await _client.RefreshNativeAsync(token);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, token.Length == 0 ? "refresh_token_missing" : "refresh_token_invalid");
    }

    [Fact]
    public async Task Forged_or_truncated_tokens_naming_a_real_session_never_revoke_it()
    {
        var session = await _client.NewNativeSessionAsync();
        using var rotated = await _client.RefreshNativeAsync(session.RefreshToken);
        var current = (string)(await RotorClient.ReadJsonAsync(rotated))["refreshToken"]!;
        _app.Time.Advance(TimeSpan.FromMinutes(1));

        // The session id and generation are readable in the token; only the tag is secret. Keep the
        // header (session, generation 0 = an ancestor) and forge the tag in several ways.
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(session.RefreshToken);
        var forged = (byte[])bytes.Clone();
        forged[^1] ^= 0x01;
        var zeroTag = (byte[])bytes.Clone();
        Array.Clear(zeroTag, 25, 32);
        string[] attempts =
        [
            System.Buffers.Text.Base64Url.EncodeToString(forged),
            System.Buffers.Text.Base64Url.EncodeToString(zeroTag),
            session.RefreshToken[..^4],
            session.RefreshToken + "AAAA",
        ];

        foreach (var attempt in attempts)
        {
            using var response = await _client.RefreshNativeAsync(attempt);
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_invalid");
        }

        using var stillAlive = await _client.RefreshNativeAsync(current);
        Assert.Equal(HttpStatusCode.OK, stillAlive.StatusCode);
    }

    [Fact]
    public async Task Browser_refresh_rotates_the_cookie()
    {
        var session = await _client.NewBrowserSessionAsync();

        using var response = await _client.RefreshBrowserAsync(session.Cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RotorClient.ReadJsonAsync(response);
        Assert.Null(body["refreshToken"]);
        var cookie = RotorClient.SetCookie(response);
        Assert.NotNull(cookie);
        Assert.NotEqual(session.Cookie, cookie.Value);
    }

    [Fact]
    public async Task A_failed_browser_refresh_clears_the_cookie()
    {
        using var response = await _client.RefreshBrowserAsync("garbage");

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_invalid");
        var cookie = RotorClient.SetCookie(response);
        Assert.NotNull(cookie);
        Assert.Equal("", cookie.Value);
    }
}

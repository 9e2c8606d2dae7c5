using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>Every way of signing out leaves exactly one <c>logout</c> event in the user's own security log.</summary>
public sealed class LogoutEventTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;

    public LogoutEventTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_browser_cookie_logout_is_logged_under_the_user()
    {
        var session = await _client.NewBrowserSessionAsync();

        using var logout = await _client.CookieRequestAsync("/auth/logout", session.Cookie);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await AssertOneLogoutAsync(session.Username, session.SessionId);
    }

    [Fact]
    public async Task A_native_logout_with_the_refresh_token_in_the_body_is_logged_under_the_user()
    {
        var session = await _client.NewNativeSessionAsync();

        using var logout = await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = session.RefreshToken });

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await AssertOneLogoutAsync(session.Username, session.SessionId);
    }

    [Fact]
    public async Task A_bearer_logout_is_logged_under_the_user()
    {
        var session = await _client.NewNativeSessionAsync();

        using var logout = await _client.SendAsync(HttpMethod.Post, "/auth/logout", session.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await AssertOneLogoutAsync(session.Username, session.SessionId);
    }

    private async Task AssertOneLogoutAsync(string username, Guid sessionId)
    {
        var reader = await _client.NativeLoginAsync(username);
        using var response = await _client.SendAsync(HttpMethod.Get, "/auth/events?limit=100", reader.AccessToken);
        var body = await LifecycleHost.AssertOkJsonAsync(response);
        var logouts = body["items"]!.AsArray().Select(e => e!.AsObject()).Where(e => (string?)e["type"] == "logout").ToList();
        var logout = Assert.Single(logouts);
        Assert.Equal(sessionId, Guid.Parse((string)logout["sessionId"]!));
        Assert.Equal("logout", (string?)logout["detail"]);
    }
}

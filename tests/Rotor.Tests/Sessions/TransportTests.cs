using System.Net;
using System.Net.Http.Json;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Sessions;

/// <summary>
/// A session's refresh token works only by the transport it was issued for (cookie for browser sessions, body for
/// native ones), so the cookie's cross-site rules cannot be side-stepped by moving its value into a body.
/// </summary>
public sealed class TransportTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public TransportTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_browser_sessions_cookie_value_sent_in_the_body_is_refused_and_the_session_lives_on()
    {
        var browser = await _client.NewBrowserSessionAsync();

        using var viaBody = await _client.RefreshNativeAsync(browser.Cookie);
        await RotorClient.AssertProblemAsync(viaBody, HttpStatusCode.Unauthorized, "refresh_token_invalid");

        using var viaCookie = await _client.RefreshBrowserAsync(browser.Cookie);
        Assert.Equal(HttpStatusCode.OK, viaCookie.StatusCode);
    }

    [Fact]
    public async Task A_native_refresh_token_sent_as_the_cookie_is_refused_and_the_session_lives_on()
    {
        var native = await _client.NewNativeSessionAsync();

        using var viaCookie = await _client.RefreshBrowserAsync(native.RefreshToken);
        await RotorClient.AssertProblemAsync(viaCookie, HttpStatusCode.Unauthorized, "refresh_token_invalid");

        using var viaBody = await _client.RefreshNativeAsync(native.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, viaBody.StatusCode);
    }

    [Fact]
    public async Task An_old_browser_token_moved_into_the_body_is_not_reuse_and_revokes_nothing()
    {
        var browser = await _client.NewBrowserSessionAsync();
        using var rotated = await _client.RefreshBrowserAsync(browser.Cookie);
        var current = RotorClient.SetCookie(rotated)!.Value;
        _app.Time.Advance(TimeSpan.FromMinutes(1));

        using var moved = await _client.RefreshNativeAsync(browser.Cookie);
        await RotorClient.AssertProblemAsync(moved, HttpStatusCode.Unauthorized, "refresh_token_invalid");

        using var owner = await _client.RefreshBrowserAsync(current);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task A_cookie_and_a_body_naming_different_sessions_are_refused()
    {
        var browser = await _client.NewBrowserSessionAsync();
        var native = await _client.NewNativeSessionAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/refresh") { Content = JsonContent.Create(new { refreshToken = native.RefreshToken }) };
        request.Headers.Add("Cookie", $"{RotorClient.CookieName}={browser.Cookie}");
        request.Headers.Add("X-Requested-With", "x");

        using var response = await _client.Http.SendAsync(request);
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_invalid");

        // Neither session was touched: both still refresh by their own transport.
        using var a = await _client.RefreshBrowserAsync(browser.Cookie);
        using var b = await _client.RefreshNativeAsync(native.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
    }

    [Fact]
    public async Task Access_tokens_carry_auth_time_from_the_sign_in_and_keep_it_across_refreshes()
    {
        var native = await _client.NewNativeSessionAsync();
        var signedIn = RotorClient.DecodeJwtPart(native.AccessToken, 1).GetProperty("auth_time").GetInt64();
        Assert.Equal(_app.Time.GetUtcNow().ToUnixTimeSeconds(), signedIn);

        _app.Time.Advance(TimeSpan.FromMinutes(20));
        using var refresh = await _client.RefreshNativeAsync(native.RefreshToken);
        var body = await RotorClient.ReadJsonAsync(refresh);
        var token = (string)body["accessToken"]!;
        Assert.Equal(signedIn, RotorClient.DecodeJwtPart(token, 1).GetProperty("auth_time").GetInt64());
        Assert.True(RotorClient.DecodeJwtPart(token, 1).GetProperty("iat").GetInt64() > signedIn);
    }
}

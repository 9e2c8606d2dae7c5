using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.OAuth;

/// <summary>
/// <c>POST /oauth/token</c> with the refresh grant (RFC 6749 §6): the same rotation as <c>/auth/refresh</c> for native
/// sessions, answered in RFC 6749's shape, and every refusal as RFC 6749 §5.2 JSON with the right status.
/// </summary>
public sealed class OAuthTokenTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public OAuthTokenTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_refresh_answers_the_standard_members_and_is_never_cached()
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.TokenAsync(session.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("no-cache", response.Headers.Pragma.ToString());
        var body = await RotorClient.ReadJsonAsync(response);
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Equal(900, (int)body["expires_in"]!);
        var access = (string)body["access_token"]!;
        var refresh = (string)body["refresh_token"]!;
        Assert.NotEqual(session.RefreshToken, refresh);
        Assert.Equal(["access_token", "expires_in", "refresh_token", "token_type"], body.Select(p => p.Key).Order());

        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", access);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task The_two_refresh_endpoints_rotate_one_chain()
    {
        var session = await _client.NewNativeSessionAsync();

        using var viaOAuth = await _client.TokenAsync(session.RefreshToken);
        var second = (string)(await RotorClient.ReadJsonAsync(viaOAuth))["refresh_token"]!;
        using var viaRotor = await _client.RefreshNativeAsync(second);
        Assert.Equal(HttpStatusCode.OK, viaRotor.StatusCode);
        var third = (string)(await RotorClient.ReadJsonAsync(viaRotor))["refreshToken"]!;
        using var again = await _client.TokenAsync(third);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(3, await GenerationAsync(session.SessionId));
    }

    [Fact]
    public async Task A_replay_inside_the_grace_period_gets_the_current_token_again()
    {
        var session = await _client.NewNativeSessionAsync();
        using var first = await _client.TokenAsync(session.RefreshToken);
        var current = (string)(await RotorClient.ReadJsonAsync(first))["refresh_token"]!;
        _app.Time.Advance(TimeSpan.FromSeconds(5));

        using var replay = await _client.TokenAsync(session.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(current, (string?)(await RotorClient.ReadJsonAsync(replay))["refresh_token"]);
        using var next = await _client.TokenAsync(current);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Reuse_after_the_grace_period_is_invalid_grant_and_ends_the_session_as_on_auth_refresh()
    {
        var session = await _client.NewNativeSessionAsync();
        using var first = await _client.TokenAsync(session.RefreshToken);
        var current = (string)(await RotorClient.ReadJsonAsync(first))["refresh_token"]!;
        _app.Time.Advance(TimeSpan.FromMinutes(1));

        using var reuse = await _client.TokenAsync(session.RefreshToken);
        await OAuthForms.AssertErrorAsync(reuse, HttpStatusCode.BadRequest, "invalid_grant");

        // The thief's replay ended the owner's session too, by either endpoint.
        using var owner = await _client.TokenAsync(current);
        await OAuthForms.AssertErrorAsync(owner, HttpStatusCode.BadRequest, "invalid_grant");
        using var viaRotor = await _client.RefreshNativeAsync(current);
        await RotorClient.AssertProblemAsync(viaRotor, HttpStatusCode.Unauthorized, "session_revoked");
        Assert.Equal(1, await Database.CountAsync(_app, $"SELECT COUNT(*) FROM rotor_security_events WHERE Type = 'refresh_token_reused' AND UserId = '{session.UserId}'"));
    }

    [Fact]
    public async Task A_browser_sessions_token_is_invalid_grant_and_the_session_lives_on()
    {
        var browser = await _client.NewBrowserSessionAsync();

        using var response = await _client.TokenAsync(browser.Cookie);
        await OAuthForms.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");

        using var viaCookie = await _client.RefreshBrowserAsync(browser.Cookie);
        Assert.Equal(HttpStatusCode.OK, viaCookie.StatusCode);
    }

    [Fact]
    public async Task An_expired_session_and_a_signed_out_one_are_invalid_grant()
    {
        var expiring = await _client.NewNativeSessionAsync();
        var signedOut = await _client.NewNativeSessionAsync();
        using (var logout = await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = signedOut.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var revoked = await _client.TokenAsync(signedOut.RefreshToken);
        await OAuthForms.AssertErrorAsync(revoked, HttpStatusCode.BadRequest, "invalid_grant");

        _app.Time.Advance(TimeSpan.FromDays(8));
        using var expired = await _client.TokenAsync(expiring.RefreshToken);
        await OAuthForms.AssertErrorAsync(expired, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData("password")]
    [InlineData("client_credentials")]
    [InlineData("authorization_code")]
    [InlineData("urn:ietf:params:oauth:grant-type:jwt-bearer")]
    [InlineData("REFRESH_TOKEN")]
    public async Task Any_other_grant_type_is_unsupported(string grantType)
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.PostFormAsync("/oauth/token",
            ("grant_type", grantType), ("refresh_token", session.RefreshToken), ("username", session.Username), ("password", RotorClient.Password));

        await OAuthForms.AssertErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
        Assert.Equal(0, await GenerationAsync(session.SessionId));
    }

    [Fact]
    public async Task A_missing_grant_type_or_refresh_token_is_invalid_request()
    {
        var session = await _client.NewNativeSessionAsync();

        using var noGrant = await _client.PostFormAsync("/oauth/token", ("refresh_token", session.RefreshToken));
        await OAuthForms.AssertErrorAsync(noGrant, HttpStatusCode.BadRequest, "invalid_request");
        using var noToken = await _client.PostFormAsync("/oauth/token", ("grant_type", "refresh_token"));
        await OAuthForms.AssertErrorAsync(noToken, HttpStatusCode.BadRequest, "invalid_request");
        // RFC 6749 §3.1: a parameter without a value counts as omitted.
        using var emptyToken = await _client.PostFormAsync("/oauth/token", ("grant_type", "refresh_token"), ("refresh_token", ""));
        await OAuthForms.AssertErrorAsync(emptyToken, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(0, await GenerationAsync(session.SessionId));
    }

    [Fact]
    public async Task A_repeated_parameter_is_invalid_request_and_rotates_nothing()
    {
        var session = await _client.NewNativeSessionAsync();
        var other = await _client.NewNativeSessionAsync();

        using var twoTokens = await _client.PostFormAsync("/oauth/token",
            ("grant_type", "refresh_token"), ("refresh_token", session.RefreshToken), ("refresh_token", other.RefreshToken));
        await OAuthForms.AssertErrorAsync(twoTokens, HttpStatusCode.BadRequest, "invalid_request");
        using var twoGrants = await _client.PostFormAsync("/oauth/token",
            ("grant_type", "refresh_token"), ("grant_type", "password"), ("refresh_token", session.RefreshToken));
        await OAuthForms.AssertErrorAsync(twoGrants, HttpStatusCode.BadRequest, "invalid_request");
        using var twoClients = await _client.PostFormAsync("/oauth/token",
            ("grant_type", "refresh_token"), ("refresh_token", session.RefreshToken), ("client_id", "a"), ("client_id", "b"));
        await OAuthForms.AssertErrorAsync(twoClients, HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(0, await GenerationAsync(session.SessionId));
        Assert.Equal(0, await GenerationAsync(other.SessionId));
    }

    [Fact]
    public async Task A_client_id_and_a_scope_are_accepted_and_change_nothing()
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.PostFormAsync("/oauth/token",
            ("grant_type", "refresh_token"), ("refresh_token", session.RefreshToken), ("client_id", "my-cli"), ("scope", "openid"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("", "application/x-www-form-urlencoded")]
    [InlineData("", null)]
    [InlineData("{\"grant_type\":\"refresh_token\",\"refresh_token\":\"x\"}", "application/json")]
    [InlineData("grant_type=refresh_token&refresh_token=x", "text/plain")]
    [InlineData("grant_type=refresh_token&refresh_token=x", "application/x-www-form-urlencoded; charset=iso-8859-1")]
    [InlineData("grant_type=refresh_token&refresh_token=x", "multipart/form-data; boundary=x")]
    public async Task A_body_that_is_not_a_utf8_form_is_invalid_request(string body, string? contentType)
    {
        using var response = await _client.PostRawAsync("/oauth/token", body, contentType);

        await OAuthForms.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_invalid_request()
    {
        using var response = await _client.PostFormAsync("/oauth/token", ("grant_type", "refresh_token"), ("refresh_token", new string('a', 20_000)));

        await OAuthForms.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("x")]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.sig")]
    [InlineData("%00%ff%fe")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_garbage_token_is_invalid_grant(string token)
    {
        using var response = await _client.TokenAsync(token);

        await OAuthForms.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Theory]
    [InlineData("grant_type=refresh_token&refresh_token=%")]
    [InlineData("grant_type=refresh_token&refresh_token=%zz%")]
    [InlineData("grant_type=refresh_token&refresh_token=%E2%82")]
    [InlineData("grant_type=refresh_token&refresh_token=%00")]
    [InlineData("grant_type=refresh_token&refresh_token=a+b&&&")]
    [InlineData("grant_type=refresh_token&refresh_token==&=&==")]
    [InlineData("grant_type%3Drefresh_token")]
    [InlineData("grant_type=refresh%5Ftoken&refresh%5Ftoken=x")]
    [InlineData("&&&&")]
    [InlineData("=")]
    public async Task A_mangled_form_is_a_400_never_a_500(string body)
    {
        using var response = await _client.PostRawAsync("/oauth/token", body, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (string?)(await RotorClient.ReadJsonAsync(response))["error"];
        Assert.Contains(error, (string[])["invalid_request", "invalid_grant"]);
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_invalid_request()
    {
        var content = new ByteArrayContent([(byte)'g', (byte)'=', 0xff, 0xfe]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");

        using var response = await _client.Http.PostAsync("/oauth/token", content);

        await OAuthForms.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Get_is_405_in_the_oauth_format()
    {
        using var response = await _client.Http.GetAsync("/oauth/token");

        await OAuthForms.AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "invalid_request");
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task The_refresh_cookie_is_ignored_here()
    {
        var browser = await _client.NewBrowserSessionAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "refresh_token")]),
        };
        request.Headers.Add("Cookie", $"{RotorClient.CookieName}={browser.Cookie}");

        using var response = await _client.Http.SendAsync(request);

        await OAuthForms.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Null(RotorClient.SetCookie(response));
    }

    private Task<long> GenerationAsync(Guid sessionId) =>
        Database.CountAsync(_app, $"SELECT Generation FROM rotor_sessions WHERE Id = '{sessionId.ToString().ToUpperInvariant()}' OR Id = '{sessionId}'");
}

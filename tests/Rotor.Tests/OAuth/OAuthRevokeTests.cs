using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.OAuth;

/// <summary>
/// <c>POST /oauth/revoke</c> (RFC 7009): a refresh token or a live access token ends its session, as a sign-out does
/// (revocation time set, the access tokens refused at once, a security event); anything else answers 200 and changes
/// nothing, so the endpoint says nothing about which tokens exist.
/// </summary>
public sealed class OAuthRevokeTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public OAuthRevokeTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("refresh_token")]
    [InlineData("access_token")]
    [InlineData("id_token")]
    [InlineData("something_else")]
    public async Task A_refresh_token_ends_its_session_whatever_the_hint(string? hint)
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.RevokeAsync(session.RefreshToken, hint);

        await AssertRevokedAnswerAsync(response);
        await AssertEndedAsync(session, "oauth_revoke");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("access_token")]
    [InlineData("refresh_token")]
    [InlineData("something_else")]
    public async Task A_live_access_token_ends_its_session_whatever_the_hint(string? hint)
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.RevokeAsync(session.AccessToken, hint);

        await AssertRevokedAnswerAsync(response);
        await AssertEndedAsync(session, "oauth_revoke");
    }

    [Fact]
    public async Task A_rotated_out_refresh_token_still_ends_the_session()
    {
        // Presenting it for a refresh would end the session as reuse anyway; revoking is the gentler way there.
        var session = await _client.NewNativeSessionAsync();
        using (var refreshed = await _client.TokenAsync(session.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }

        using var response = await _client.RevokeAsync(session.RefreshToken);

        await AssertRevokedAnswerAsync(response);
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task An_expired_access_token_is_no_authority_and_the_session_lives_on()
    {
        var session = await _client.NewNativeSessionAsync();
        _app.Time.Advance(TimeSpan.FromMinutes(16));

        using var response = await _client.RevokeAsync(session.AccessToken, "access_token");

        await AssertRevokedAnswerAsync(response);
        using var refreshed = await _client.TokenAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task Revoking_twice_answers_200_both_times_with_one_event()
    {
        var session = await _client.NewNativeSessionAsync();

        using var first = await _client.RevokeAsync(session.RefreshToken);
        using var second = await _client.RevokeAsync(session.RefreshToken);
        using var byAccess = await _client.RevokeAsync(session.AccessToken);

        await AssertRevokedAnswerAsync(first);
        await AssertRevokedAnswerAsync(second);
        await AssertRevokedAnswerAsync(byAccess);
        Assert.Equal(1, await EventCountAsync(session.UserId));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzaWQiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ.")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%00%ff")]
    public async Task An_unknown_or_garbage_token_answers_200_and_changes_nothing(string token)
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.RevokeAsync(token);

        await AssertRevokedAnswerAsync(response);
        using var refreshed = await _client.TokenAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task A_token_near_the_body_limit_answers_200()
    {
        using var response = await _client.RevokeAsync(new string('e', 15_000));

        await AssertRevokedAnswerAsync(response);
    }

    [Fact]
    public async Task A_forged_refresh_token_for_a_real_session_changes_nothing()
    {
        var session = await _client.NewNativeSessionAsync();
        // Same session id and generation, another tag: only the server's key makes the tag.
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(session.RefreshToken);
        bytes[^1] ^= 1;

        using var response = await _client.RevokeAsync(System.Buffers.Text.Base64Url.EncodeToString(bytes));

        await AssertRevokedAnswerAsync(response);
        Assert.Equal(0, await EventCountAsync(session.UserId));
        using var refreshed = await _client.TokenAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task A_browser_sessions_refresh_token_ends_it_as_a_logout_with_it_would()
    {
        var browser = await _client.NewBrowserSessionAsync();

        using var response = await _client.RevokeAsync(browser.Cookie);

        await AssertRevokedAnswerAsync(response);
        using var refreshed = await _client.RefreshBrowserAsync(browser.Cookie);
        await RotorClient.AssertProblemAsync(refreshed, HttpStatusCode.Unauthorized, "session_revoked");
    }

    [Fact]
    public async Task A_missing_or_repeated_token_is_invalid_request()
    {
        var session = await _client.NewNativeSessionAsync();
        var other = await _client.NewNativeSessionAsync();

        using var missing = await _client.PostFormAsync("/oauth/revoke", ("token_type_hint", "refresh_token"));
        await OAuthForms.AssertErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_request");
        using var empty = await _client.PostFormAsync("/oauth/revoke", ("token", ""));
        await OAuthForms.AssertErrorAsync(empty, HttpStatusCode.BadRequest, "invalid_request");
        using var twice = await _client.PostFormAsync("/oauth/revoke", ("token", session.RefreshToken), ("token", other.RefreshToken));
        await OAuthForms.AssertErrorAsync(twice, HttpStatusCode.BadRequest, "invalid_request");
        using var json = await _client.PostRawAsync("/oauth/revoke", $"{{\"token\":\"{session.RefreshToken}\"}}", "application/json");
        await OAuthForms.AssertErrorAsync(json, HttpStatusCode.BadRequest, "invalid_request");
        using var noBody = await _client.PostRawAsync("/oauth/revoke", "", null);
        await OAuthForms.AssertErrorAsync(noBody, HttpStatusCode.BadRequest, "invalid_request");
        using var tooLarge = await _client.PostFormAsync("/oauth/revoke", ("token", session.RefreshToken), ("pad", new string('p', 20_000)));
        await OAuthForms.AssertErrorAsync(tooLarge, HttpStatusCode.BadRequest, "invalid_request");

        using var refreshed = await _client.TokenAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(0, await EventCountAsync(session.UserId));
    }

    [Fact]
    public async Task Get_is_405_in_the_oauth_format()
    {
        using var response = await _client.Http.GetAsync("/oauth/revoke?token=x");

        await OAuthForms.AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, "invalid_request");
    }

    private static async Task AssertRevokedAnswerAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
    }

    /// <summary>The session is over everywhere a token of it is used, and the log says why.</summary>
    private async Task AssertEndedAsync(NativeSession session, string reason)
    {
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        using var refreshed = await _client.TokenAsync(session.RefreshToken);
        await OAuthForms.AssertErrorAsync(refreshed, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal([reason], await Database.QueryStringsAsync(_app, $"SELECT RevocationReason FROM rotor_sessions WHERE UserId = '{session.UserId}'"));
        Assert.Equal(1, await EventCountAsync(session.UserId));
    }

    private Task<long> EventCountAsync(string userId) =>
        Database.CountAsync(_app, $"SELECT COUNT(*) FROM rotor_security_events WHERE Type = 'session_revoked' AND Detail = 'oauth_revoke' AND UserId = '{userId}'");
}

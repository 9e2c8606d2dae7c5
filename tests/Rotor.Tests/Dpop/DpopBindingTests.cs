using System.Net;
using System.Net.Http.Json;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Dpop;

/// <summary>
/// The happy paths of DPoP (RFC 9449): a sign-in with a proof binds the session, its tokens are DPoP tokens carrying the
/// key's thumbprint, refreshes and API calls with the key's proofs work, and sessions without DPoP are unchanged.
/// </summary>
public sealed class DpopBindingTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;
    private readonly DpopKey _key = DpopKey.NewEc();

    public DpopBindingTests() => _client = _app.Client();

    public void Dispose()
    {
        _key.Dispose();
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_native_sign_in_with_a_proof_binds_the_session_and_its_access_token_carries_the_thumbprint()
    {
        var session = await _client.NewBoundSessionAsync(_key);

        Assert.Equal(_key.Thumbprint, DpopCalls.Jkt(session.AccessToken));
    }

    [Fact]
    public async Task A_bound_session_refreshes_with_its_keys_proofs_again_and_again()
    {
        var session = await _client.NewBoundSessionAsync(_key);
        for (var i = 0; i < 3; i++)
        {
            _app.Time.Advance(TimeSpan.FromMinutes(1));
            session = await _client.RefreshBoundAsync(session, _key);
            Assert.Equal(_key.Thumbprint, DpopCalls.Jkt(session.AccessToken));
        }
    }

    [Theory]
    [InlineData("/users/me")]
    [InlineData("/api/demo/time")]
    public async Task A_bound_access_token_works_with_the_DPoP_scheme_and_a_proof_on_Rotors_and_the_apps_endpoints(string path)
    {
        var session = await _client.NewBoundSessionAsync(_key);

        using var response = await _client.GetWithProofAsync(path, session.AccessToken, "DPoP", _client.ProofFor(_key, HttpMethod.Get, path, session.AccessToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(session.UserId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RSA_keys_with_PS256_and_RS256_bind_and_prove_too()
    {
        foreach (var algorithm in (string[])["PS256", "RS256"])
        {
            using var key = DpopKey.NewRsa(algorithm);
            var session = await _client.NewBoundSessionAsync(key);
            Assert.Equal(key.Thumbprint, DpopCalls.Jkt(session.AccessToken));
            session = await _client.RefreshBoundAsync(session, key);

            using var me = await _client.GetWithProofAsync("/users/me", session.AccessToken, "DPoP", _client.ProofFor(key, HttpMethod.Get, "/users/me", session.AccessToken));
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
    }

    [Fact]
    public async Task Sessions_without_DPoP_are_unchanged_Bearer_tokens_without_cnf()
    {
        var session = await _client.NewNativeSessionAsync();
        Assert.Null(DpopCalls.Jkt(session.AccessToken));

        using var refreshed = await _client.RefreshNativeAsync(session.RefreshToken);
        var body = await DpopCalls.AssertTokensAsync(refreshed, "Bearer");
        using var me = await _client.SendAsync(HttpMethod.Get, "/users/me", (string)body["accessToken"]!);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task A_proof_sent_when_refreshing_a_session_that_is_not_bound_is_ignored_and_the_session_stays_Bearer()
    {
        var session = await _client.NewNativeSessionAsync();

        using var refreshed = await _client.RefreshWithProofAsync(session.RefreshToken, _client.ProofFor(_key, HttpMethod.Post, "/auth/refresh"));

        var body = await DpopCalls.AssertTokensAsync(refreshed, "Bearer");
        Assert.Null(DpopCalls.Jkt((string)body["accessToken"]!));
    }

    [Fact]
    public async Task An_unbound_access_token_sent_with_the_DPoP_scheme_is_refused()
    {
        var session = await _client.NewNativeSessionAsync();

        using var response = await _client.GetWithProofAsync("/users/me", session.AccessToken, "DPoP", _client.ProofFor(_key, HttpMethod.Get, "/users/me", session.AccessToken));

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.StartsWith("DPoP error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_sign_in_may_opt_in_and_its_cookie_refresh_then_needs_the_keys_proof()
    {
        var user = await _client.RegisterAsync();
        using var login = await _client.LoginWithProofAsync((string)user["username"]!, _client.ProofFor(_key, HttpMethod.Post, "/auth/login"), mode: "browser");
        var body = await DpopCalls.AssertTokensAsync(login, "DPoP");
        Assert.Null(body["refreshToken"]);
        var cookie = RotorClient.SetCookie(login)!.Value;

        using var withoutProof = await _client.RefreshBrowserAsync(cookie);
        await RotorClient.AssertProblemAsync(withoutProof, HttpStatusCode.Unauthorized, "invalid_dpop_proof");
        Assert.Null(RotorClient.SetCookie(withoutProof));

        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/refresh");
        request.Headers.Add("Cookie", $"{RotorClient.CookieName}={cookie}");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        request.Headers.Add("DPoP", _client.ProofFor(_key, HttpMethod.Post, "/auth/refresh"));
        using var withProof = await _client.Http.SendAsync(request);
        await DpopCalls.AssertTokensAsync(withProof, "DPoP");
    }

    [Fact]
    public async Task The_second_step_of_a_two_step_sign_in_binds_the_session_to_its_proofs_key()
    {
        var user = await _client.NewMfaUserAsync();
        var challenge = await _client.PasswordStepAsync(user.Session.Username, "native");
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login/mfa") { Content = JsonContent.Create(new { challenge, code = user.Authenticator.Next() }) };
        request.Headers.Add("DPoP", _client.ProofFor(_key, HttpMethod.Post, "/auth/login/mfa"));

        using var response = await _client.Http.SendAsync(request);

        var body = await DpopCalls.AssertTokensAsync(response, "DPoP");
        Assert.Equal(_key.Thumbprint, DpopCalls.Jkt((string)body["accessToken"]!));
    }

    [Fact]
    public async Task Reauthenticating_a_bound_session_answers_a_bound_access_token()
    {
        var session = await _client.NewBoundSessionAsync(_key);
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/reauthenticate") { Content = JsonContent.Create(new { password = RotorClient.Password }) };
        request.Headers.Authorization = new("DPoP", session.AccessToken);
        request.Headers.Add("DPoP", _client.ProofFor(_key, HttpMethod.Post, "/auth/reauthenticate", session.AccessToken));

        using var response = await _client.Http.SendAsync(request);

        var body = await DpopCalls.AssertTokensAsync(response, "DPoP");
        Assert.Equal(_key.Thumbprint, DpopCalls.Jkt((string)body["accessToken"]!));
    }

    [Fact]
    public async Task Without_credentials_the_challenge_offers_Bearer_and_DPoP_with_the_algorithms()
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/api/demo/time", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenges = response.Headers.WwwAuthenticate.Select(h => h.ToString()).ToList();
        Assert.Contains("Bearer", challenges);
        Assert.Contains("DPoP algs=\"ES256 ES384 ES512 PS256 RS256\"", challenges);
    }
}

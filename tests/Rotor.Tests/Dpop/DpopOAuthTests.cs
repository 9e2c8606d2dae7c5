using System.Net;
using Rotor.Tests.Infrastructure;
using Rotor.Tests.OAuth;

namespace Rotor.Tests.Dpop;

/// <summary>
/// <c>POST /oauth/token</c> with DPoP (RFC 9449 §5): a bound session's refresh grant needs a proof from its key and
/// answers <c>token_type: DPoP</c>; refusals are RFC 6749 errors at 400 (<c>invalid_dpop_proof</c>, <c>use_dpop_nonce</c>
/// with <c>DPoP-Nonce</c>), and none of them costs the owner the session.
/// </summary>
public sealed class DpopOAuthTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;
    private readonly DpopKey _key = DpopKey.NewEc();

    public DpopOAuthTests() => _client = _app.Client();

    public void Dispose()
    {
        _key.Dispose();
        _client.Dispose();
        _app.Dispose();
    }

    private Task<HttpResponseMessage> TokenAsync(RotorClient client, string refreshToken, string? proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "refresh_token"), KeyValuePair.Create("refresh_token", refreshToken)]),
        };
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return client.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_bound_sessions_refresh_grant_with_its_keys_proof_answers_a_DPoP_token()
    {
        var session = await _client.NewBoundSessionAsync(_key);

        using var response = await TokenAsync(_client, session.RefreshToken, _client.ProofFor(_key, HttpMethod.Post, "/oauth/token"));

        var body = await RotorClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DPoP", (string?)body["token_type"]);
        Assert.Equal(_key.Thumbprint, DpopCalls.Jkt((string)body["access_token"]!));
    }

    [Fact]
    public async Task Without_the_keys_proof_the_grant_is_a_400_invalid_dpop_proof_and_the_owner_goes_on()
    {
        var session = await _client.NewBoundSessionAsync(_key);
        using var other = DpopKey.NewEc();

        foreach (var proof in (string?[])[null, other.Proof("POST", DpopCalls.Origin + "/oauth/token", _app.Time.GetUtcNow()), "not-a-proof", _client.ProofFor(_key, HttpMethod.Post, "/auth/refresh")])
        {
            using var refused = await TokenAsync(_client, session.RefreshToken, proof);
            await OAuthForms.AssertErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_dpop_proof");
        }

        using var owner = await TokenAsync(_client, session.RefreshToken, _client.ProofFor(_key, HttpMethod.Post, "/oauth/token"));
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task With_nonces_required_the_grant_answers_use_dpop_nonce_with_the_nonce_to_retry_with()
    {
        using var app = new RotorApp(new Dictionary<string, string?> { ["Rotor:Dpop:RequireNonce"] = "true" });
        using var client = app.Client();
        var username = (string)(await client.RegisterAsync())["username"]!;
        using var ask = await client.LoginWithProofAsync(username, client.ProofFor(_key, HttpMethod.Post, "/auth/login"));
        var nonce = Assert.Single(ask.Headers.GetValues("DPoP-Nonce"));
        using var login = await client.LoginWithProofAsync(username, client.ProofFor(_key, HttpMethod.Post, "/auth/login", nonce: nonce));
        var session = NativeSession.From(await DpopCalls.AssertTokensAsync(login, "DPoP"), username);

        using var refused = await TokenAsync(client, session.RefreshToken, client.ProofFor(_key, HttpMethod.Post, "/oauth/token"));
        await OAuthForms.AssertErrorAsync(refused, HttpStatusCode.BadRequest, "use_dpop_nonce");
        var fresh = Assert.Single(refused.Headers.GetValues("DPoP-Nonce"));

        using var retry = await TokenAsync(client, session.RefreshToken, client.ProofFor(_key, HttpMethod.Post, "/oauth/token", nonce: fresh));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
    }

    [Fact]
    public async Task The_metadata_document_lists_the_accepted_proof_algorithms()
    {
        using var response = await _client.Http.GetAsync("/.well-known/oauth-authorization-server");

        var body = await RotorClient.ReadJsonAsync(response);
        Assert.Equal(["ES256", "ES384", "ES512", "PS256", "RS256"], body["dpop_signing_alg_values_supported"]!.AsArray().Select(a => (string)a!));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Dpop;

/// <summary>
/// Server nonces (RFC 9449 §8, §9) with <c>Rotor:Dpop:RequireNonce</c>: a proof without a current nonce is answered
/// <c>use_dpop_nonce</c> with a <c>DPoP-Nonce</c> header, the retry with it works, and nonces go stale.
/// </summary>
public sealed class DpopNonceTests : IDisposable
{
    private readonly RotorApp _app = new(new Dictionary<string, string?> { ["Rotor:Dpop:RequireNonce"] = "true", ["Rotor:Dpop:NonceLifetime"] = "00:01:00" });
    private readonly RotorClient _client;
    private readonly DpopKey _key = DpopKey.NewEc();

    public DpopNonceTests() => _client = _app.Client();

    public void Dispose()
    {
        _key.Dispose();
        _client.Dispose();
        _app.Dispose();
    }

    private static string NonceOf(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("DPoP-Nonce"));

    [Fact]
    public async Task A_proof_without_a_nonce_gets_use_dpop_nonce_and_the_retry_with_the_nonce_signs_in()
    {
        var username = (string)(await _client.RegisterAsync())["username"]!;

        using var first = await _client.LoginWithProofAsync(username, _client.ProofFor(_key, HttpMethod.Post, "/auth/login"));
        await RotorClient.AssertProblemAsync(first, HttpStatusCode.Unauthorized, "use_dpop_nonce");
        var nonce = NonceOf(first);

        using var retry = await _client.LoginWithProofAsync(username, _client.ProofFor(_key, HttpMethod.Post, "/auth/login", nonce: nonce));
        await DpopCalls.AssertTokensAsync(retry, "DPoP");
        Assert.False(string.IsNullOrEmpty(NonceOf(retry)));
    }

    [Fact]
    public async Task The_API_challenges_with_use_dpop_nonce_and_accepts_the_retry()
    {
        var username = (string)(await _client.RegisterAsync())["username"]!;
        using var refused = await _client.LoginWithProofAsync(username, _client.ProofFor(_key, HttpMethod.Post, "/auth/login"));
        var nonce = NonceOf(refused);
        using var login = await _client.LoginWithProofAsync(username, _client.ProofFor(_key, HttpMethod.Post, "/auth/login", nonce: nonce));
        var token = (string)(await DpopCalls.AssertTokensAsync(login, "DPoP"))["accessToken"]!;

        using var challenge = await _client.GetWithProofAsync("/api/demo/time", token, "DPoP", _client.ProofFor(_key, HttpMethod.Get, "/api/demo/time", token));
        await RotorClient.AssertProblemAsync(challenge, HttpStatusCode.Unauthorized, "use_dpop_nonce");
        Assert.StartsWith("DPoP error=\"use_dpop_nonce\"", challenge.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var ok = await _client.GetWithProofAsync("/api/demo/time", token, "DPoP", _client.ProofFor(_key, HttpMethod.Get, "/api/demo/time", token, NonceOf(challenge)));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_nonce_works_for_one_to_two_lifetimes_and_a_forged_one_never()
    {
        var username = (string)(await _client.RegisterAsync())["username"]!;
        using var refused = await _client.LoginWithProofAsync(username, _client.ProofFor(_key, HttpMethod.Post, "/auth/login"));
        var nonce = NonceOf(refused);

        _app.Time.Advance(TimeSpan.FromSeconds(61));
        using (var stillGood = await _client.LoginWithProofAsync(username, _client.ProofFor(_key, HttpMethod.Post, "/auth/login", nonce: nonce)))
        {
            await DpopCalls.AssertTokensAsync(stillGood, "DPoP");
        }

        _app.Time.Advance(TimeSpan.FromSeconds(60));
        using (var stale = await _client.LoginWithProofAsync(username, _client.ProofFor(_key, HttpMethod.Post, "/auth/login", nonce: nonce)))
        {
            await RotorClient.AssertProblemAsync(stale, HttpStatusCode.Unauthorized, "use_dpop_nonce");
            Assert.NotEqual(nonce, NonceOf(stale));
        }

        var forged = DpopKey.B64(RandomNumberGenerator.GetBytes(24));
        using var forgery = await _client.LoginWithProofAsync(username, _client.ProofFor(_key, HttpMethod.Post, "/auth/login", nonce: forged));
        await RotorClient.AssertProblemAsync(forgery, HttpStatusCode.Unauthorized, "use_dpop_nonce");
    }

    [Fact]
    public async Task Sign_in_without_DPoP_needs_no_nonce()
    {
        var session = await _client.NewNativeSessionAsync();

        using var refreshed = await _client.RefreshNativeAsync(session.RefreshToken);

        await DpopCalls.AssertTokensAsync(refreshed, "Bearer");
    }
}

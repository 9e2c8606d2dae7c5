using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Dpop;

/// <summary>
/// What an attacker can try against DPoP (RFC 9449 §4.3, §7, §11): proofs replayed, aimed at another request, signed by
/// another key or none, carrying a private or symmetric key, too old or from the future, missing, doubled or malformed;
/// bound tokens used as Bearer or with a proof for another token; and a stolen refresh token used without the key, which
/// must neither work nor cost the owner their session.
/// </summary>
public sealed class DpopAttackTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;
    private readonly DpopKey _key = DpopKey.NewEc();
    private readonly DpopKey _other = DpopKey.NewEc();

    public DpopAttackTests() => _client = _app.Client();

    public void Dispose()
    {
        _key.Dispose();
        _other.Dispose();
        _client.Dispose();
        _app.Dispose();
    }

    private string Now(string method, string path, string? accessToken = null, Action<JsonObject>? header = null, Action<JsonObject>? payload = null) =>
        _key.Proof(method, DpopCalls.Origin + path, _app.Time.GetUtcNow(), accessToken, header: header, payload: payload);

    private async Task<string> UserAsync() => (string)(await _client.RegisterAsync())["username"]!;

    private static async Task AssertInvalidProofAsync(HttpResponseMessage response) =>
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_dpop_proof");

    [Fact]
    public async Task A_replayed_proof_is_refused_at_sign_in_refresh_and_on_the_API()
    {
        var username = await UserAsync();
        var proof = Now("POST", "/auth/login");
        using (var first = await _client.LoginWithProofAsync(username, proof))
        {
            await DpopCalls.AssertTokensAsync(first, "DPoP");
        }

        using (var replay = await _client.LoginWithProofAsync(username, proof))
        {
            await AssertInvalidProofAsync(replay);
        }

        var session = await _client.NewBoundSessionAsync(_key);
        var refreshProof = Now("POST", "/auth/refresh");
        using (var first = await _client.RefreshWithProofAsync(session.RefreshToken, refreshProof))
        {
            session = Infrastructure.NativeSession.From(await DpopCalls.AssertTokensAsync(first, "DPoP"), session.Username);
        }

        using (var replay = await _client.RefreshWithProofAsync(session.RefreshToken, refreshProof))
        {
            await AssertInvalidProofAsync(replay);
        }

        var meProof = Now("GET", "/users/me", session.AccessToken);
        using (var first = await _client.GetWithProofAsync("/users/me", session.AccessToken, "DPoP", meProof))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var again = await _client.GetWithProofAsync("/users/me", session.AccessToken, "DPoP", meProof);
        await AssertInvalidProofAsync(again);
        Assert.StartsWith("DPoP error=\"invalid_dpop_proof\"", again.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "https://localhost/auth/login")]
    [InlineData("post", "https://localhost/auth/login")]
    [InlineData("POST", "https://localhost/auth/refresh")]
    [InlineData("POST", "https://evil.example/auth/login")]
    [InlineData("POST", "http://localhost/auth/login")]
    [InlineData("POST", "https://localhost:8443/auth/login")]
    [InlineData("POST", "https://localhost/auth/login/")]
    [InlineData("POST", "/auth/login")]
    [InlineData("POST", "https://user@localhost/auth/login")]
    public async Task A_proof_for_another_method_or_URL_is_refused(string htm, string htu)
    {
        var username = await UserAsync();

        using var response = await _client.LoginWithProofAsync(username, _key.Proof(htm, htu, _app.Time.GetUtcNow()));

        await AssertInvalidProofAsync(response);
    }

    [Theory]
    [InlineData("HTTPS://LOCALHOST/auth/login")]
    [InlineData("https://localhost:443/auth/login")]
    [InlineData("https://localhost/auth/login?next=1#top")]
    [InlineData("https://localhost/auth/%6Cogin")]
    public async Task The_URL_is_compared_after_normalisation_without_query_and_fragment(string htu)
    {
        var username = await UserAsync();

        using var response = await _client.LoginWithProofAsync(username, _key.Proof("POST", htu, _app.Time.GetUtcNow()));

        await DpopCalls.AssertTokensAsync(response, "DPoP");
    }

    [Fact]
    public async Task A_proof_signed_by_a_key_other_than_its_jwk_is_refused()
    {
        var username = await UserAsync();
        var proof = _key.Proof("POST", DpopCalls.Origin + "/auth/login", _app.Time.GetUtcNow(), header: h => h["jwk"] = _other.PublicJwk());

        using var response = await _client.LoginWithProofAsync(username, proof);

        await AssertInvalidProofAsync(response);
    }

    [Fact]
    public async Task Alg_none_is_refused_with_or_without_a_signature()
    {
        var username = await UserAsync();
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "none", ["jwk"] = _key.PublicJwk() };
        var payload = new JsonObject { ["jti"] = "x1", ["htm"] = "POST", ["htu"] = DpopCalls.Origin + "/auth/login", ["iat"] = _app.Time.GetUtcNow().ToUnixTimeSeconds() };
        var unsigned = DpopKey.Compact(header, payload, _ => []);

        using (var response = await _client.LoginWithProofAsync(username, unsigned))
        {
            await AssertInvalidProofAsync(response);
        }

        using (var response = await _client.LoginWithProofAsync(username, unsigned + "c2ln"))
        {
            await AssertInvalidProofAsync(response);
        }

        using var signedAnyway = await _client.LoginWithProofAsync(username, DpopKey.Compact(header, payload, _key.Sign));
        await AssertInvalidProofAsync(signedAnyway);
    }

    [Fact]
    public async Task HS256_with_a_symmetric_jwk_is_refused()
    {
        var username = await UserAsync();
        var secret = RandomNumberGenerator.GetBytes(32);
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "HS256", ["jwk"] = new JsonObject { ["kty"] = "oct", ["k"] = DpopKey.B64(secret) } };
        var payload = new JsonObject { ["jti"] = "x2", ["htm"] = "POST", ["htu"] = DpopCalls.Origin + "/auth/login", ["iat"] = _app.Time.GetUtcNow().ToUnixTimeSeconds() };

        using var response = await _client.LoginWithProofAsync(username, DpopKey.Compact(header, payload, input => HMACSHA256.HashData(secret, input)));

        await AssertInvalidProofAsync(response);
    }

    [Fact]
    public async Task A_jwk_with_its_private_key_or_of_the_wrong_kind_is_refused()
    {
        var username = await UserAsync();
        using var rsa = DpopKey.NewRsa("RS256");
        string[] proofs =
        [
            Now("POST", "/auth/login", header: h => h["jwk"] = _key.PrivateJwk()),
            rsa.Proof("POST", DpopCalls.Origin + "/auth/login", _app.Time.GetUtcNow(), header: h => h["jwk"] = rsa.PrivateJwk()),
            // An RSA key with an EC algorithm, and an EC key claimed for another curve.
            rsa.Proof("POST", DpopCalls.Origin + "/auth/login", _app.Time.GetUtcNow(), header: h => h["alg"] = "ES256"),
            Now("POST", "/auth/login", header: h => ((JsonObject)h["jwk"]!)["crv"] = "P-384"),
            Now("POST", "/auth/login", header: h => h["jwk"] = "not an object"),
            Now("POST", "/auth/login", header: h => h.Remove("jwk")),
        ];

        foreach (var proof in proofs)
        {
            using var response = await _client.LoginWithProofAsync(username, proof);
            await AssertInvalidProofAsync(response);
        }
    }

    [Fact]
    public async Task An_old_or_future_iat_is_refused_and_one_inside_the_window_is_accepted()
    {
        var username = await UserAsync();
        var now = _app.Time.GetUtcNow();
        foreach (var iat in (DateTimeOffset[])[now.AddSeconds(-61), now.AddMinutes(-10), now.AddSeconds(6), now.AddHours(1)])
        {
            using var refused = await _client.LoginWithProofAsync(username, _key.Proof("POST", DpopCalls.Origin + "/auth/login", iat));
            await AssertInvalidProofAsync(refused);
        }

        foreach (var iat in (DateTimeOffset[])[now.AddSeconds(-59), now.AddSeconds(4)])
        {
            using var accepted = await _client.LoginWithProofAsync(username, _key.Proof("POST", DpopCalls.Origin + "/auth/login", iat));
            await DpopCalls.AssertTokensAsync(accepted, "DPoP");
        }
    }

    [Fact]
    public async Task Two_DPoP_headers_are_refused_even_when_both_are_valid()
    {
        var username = await UserAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = System.Net.Http.Json.JsonContent.Create(new { username, password = RotorClient.Password, mode = "native" }) };
        request.Headers.TryAddWithoutValidation("DPoP", Now("POST", "/auth/login"));
        request.Headers.TryAddWithoutValidation("DPoP", Now("POST", "/auth/login"));

        using var response = await _client.Http.SendAsync(request);

        await AssertInvalidProofAsync(response);
    }

    public static TheoryData<string> Malformed => new()
    {
        " ",
        "not-a-jwt",
        "a.b",
        "a.b.c.d",
        "!!!.???.###",
        "eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.c2ln",
        B("[1,2]") + "." + B("{}") + ".c2ln",
        B("{\"typ\":\"dpop+jwt\",") + "." + B("{}") + ".c2ln",
        B("not json") + "." + B("{}") + ".c2ln",
        B("{\"typ\":\"dpop+jwt\",\"typ\":\"jwt\",\"alg\":\"ES256\"}") + "." + B("{}") + ".c2ln",
        B("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\"}") + "=." + B("{}") + ".c2ln",
        B("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}}") + "." + B("{}") + ".c2ln",
        new string('a', 9000) + ".b.c",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_proofs_are_refused_with_401_never_500(string proof)
    {
        var username = await UserAsync();

        using var response = await _client.LoginWithProofAsync(username, proof);

        await AssertInvalidProofAsync(response);
    }

    [Fact]
    public async Task Proofs_missing_a_claim_or_with_claims_of_the_wrong_type_are_refused()
    {
        var username = await UserAsync();
        Action<JsonObject>[] edits =
        [
            p => p.Remove("jti"),
            p => p.Remove("htm"),
            p => p.Remove("htu"),
            p => p.Remove("iat"),
            p => p["iat"] = p["iat"]!.ToString(),
            p => p["iat"] = 1.5,
            p => p["jti"] = "",
            p => p["jti"] = new string('j', 300),
            p => p["htu"] = 42,
            p => p["nonce"] = "not-a-nonce",
        ];
        foreach (var edit in edits)
        {
            using var response = await _client.LoginWithProofAsync(username, Now("POST", "/auth/login", payload: edit));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var wrongTyp = await _client.LoginWithProofAsync(username, Now("POST", "/auth/login", header: h => h["typ"] = "jwt"));
        await AssertInvalidProofAsync(wrongTyp);
        using var critical = await _client.LoginWithProofAsync(username, Now("POST", "/auth/login", header: h => h["crit"] = new JsonArray("exp")));
        await AssertInvalidProofAsync(critical);
    }

    [Fact]
    public async Task A_bound_access_token_sent_as_Bearer_is_refused_with_a_DPoP_challenge()
    {
        var session = await _client.NewBoundSessionAsync(_key);

        foreach (var path in (string[])["/users/me", "/api/demo/time"])
        {
            using var response = await _client.SendAsync(HttpMethod.Get, path, session.AccessToken);
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
            Assert.StartsWith("DPoP error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // A proof alongside does not make Bearer acceptable either.
        using var withProof = await _client.GetWithProofAsync("/users/me", session.AccessToken, "Bearer", Now("GET", "/users/me", session.AccessToken));
        await RotorClient.AssertProblemAsync(withProof, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task A_bound_access_token_with_no_proof_a_proof_without_ath_or_for_another_token_is_refused()
    {
        var session = await _client.NewBoundSessionAsync(_key);
        var other = await _client.NewBoundSessionAsync(_key);
        string?[] proofs =
        [
            null,
            Now("GET", "/api/demo/time"),
            Now("GET", "/api/demo/time", other.AccessToken),
            Now("GET", "/api/demo/time", session.AccessToken, payload: p => p["ath"] = "AAAA"),
            _other.Proof("GET", DpopCalls.Origin + "/api/demo/time", _app.Time.GetUtcNow(), session.AccessToken),
        ];

        foreach (var proof in proofs)
        {
            using var response = await _client.GetWithProofAsync("/api/demo/time", session.AccessToken, "DPoP", proof);
            await AssertInvalidProofAsync(response);
            Assert.Contains("algs=\"ES256", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_stolen_refresh_token_used_without_the_key_is_refused_and_the_owner_keeps_the_session()
    {
        var session = await _client.NewBoundSessionAsync(_key);

        using (var withoutProof = await _client.RefreshNativeAsync(session.RefreshToken))
        {
            await AssertInvalidProofAsync(withoutProof);
        }

        using (var otherKey = await _client.RefreshWithProofAsync(session.RefreshToken, _other.Proof("POST", DpopCalls.Origin + "/auth/refresh", _app.Time.GetUtcNow())))
        {
            await AssertInvalidProofAsync(otherKey);
        }

        // The owner goes on, and their access token was never revoked.
        var next = await _client.RefreshBoundAsync(session, _key);
        using var me = await _client.GetWithProofAsync("/users/me", session.AccessToken, "DPoP", Now("GET", "/users/me", session.AccessToken));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(session.SessionId, next.SessionId);
    }

    [Fact]
    public async Task An_old_rotated_away_refresh_token_without_the_key_is_not_reuse_and_revokes_nothing()
    {
        var session = await _client.NewBoundSessionAsync(_key);
        var next = await _client.RefreshBoundAsync(session, _key);
        _app.Time.Advance(TimeSpan.FromMinutes(5));

        // Past the grace period, the old token with the key would be reuse; without it, it is only a refusal.
        using (var stolen = await _client.RefreshNativeAsync(session.RefreshToken))
        {
            await AssertInvalidProofAsync(stolen);
        }

        using (var stolenOtherKey = await _client.RefreshWithProofAsync(session.RefreshToken, _other.Proof("POST", DpopCalls.Origin + "/auth/refresh", _app.Time.GetUtcNow())))
        {
            await AssertInvalidProofAsync(stolenOtherKey);
        }

        await _client.RefreshBoundAsync(next, _key);
    }

    [Fact]
    public async Task The_key_holder_replaying_an_old_refresh_token_is_still_reuse()
    {
        var session = await _client.NewBoundSessionAsync(_key);
        var next = await _client.RefreshBoundAsync(session, _key);
        _app.Time.Advance(TimeSpan.FromMinutes(5));

        using var replay = await _client.RefreshWithProofAsync(session.RefreshToken, Now("POST", "/auth/refresh"));
        await RotorClient.AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "refresh_token_reused");

        using var after = await _client.RefreshWithProofAsync(next.RefreshToken, Now("POST", "/auth/refresh"));
        await RotorClient.AssertProblemAsync(after, HttpStatusCode.Unauthorized, "session_revoked");
    }

    private static string B(string json) => DpopKey.B64(Encoding.UTF8.GetBytes(json));
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Dpop;

/// <summary>The contract's calls with DPoP proofs, spelled out once for the DPoP tests.</summary>
public static class DpopCalls
{
    /// <summary>The origin the test host is called at (see <see cref="RotorApp.Client"/>).</summary>
    public const string Origin = "https://localhost";

    /// <summary>A proof for <paramref name="path"/> on this client's host, made at the host's (fake) time.</summary>
    public static string ProofFor(this RotorClient client, DpopKey key, HttpMethod method, string path, string? accessToken = null, string? nonce = null) =>
        key.Proof(method.Method, Origin + path, client.App.Time.GetUtcNow(), accessToken, nonce);

    public static Task<HttpResponseMessage> LoginWithProofAsync(this RotorClient client, string username, string? proof, string mode = "native")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = JsonContent.Create(new { username, password = RotorClient.Password, mode }) };
        Add(request, proof);
        return client.Http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> RefreshWithProofAsync(this RotorClient client, string refreshToken, params string?[] proofs)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/refresh") { Content = JsonContent.Create(new { refreshToken }) };
        Add(request, proofs);
        return client.Http.SendAsync(request);
    }

    /// <summary>A GET with <c>Authorization: {scheme} {token}</c> and the given <c>DPoP</c> header(s).</summary>
    public static Task<HttpResponseMessage> GetWithProofAsync(this RotorClient client, string path, string accessToken, string scheme, params string?[] proofs)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, accessToken);
        Add(request, proofs);
        return client.Http.SendAsync(request);
    }

    /// <summary>Registers a user and signs in natively with a proof from <paramref name="key"/>: a bound session.</summary>
    public static async Task<NativeSession> NewBoundSessionAsync(this RotorClient client, DpopKey key)
    {
        var user = await client.RegisterAsync();
        var username = (string)user["username"]!;
        using var response = await client.LoginWithProofAsync(username, client.ProofFor(key, HttpMethod.Post, "/auth/login"));
        var body = await AssertTokensAsync(response, "DPoP");
        return NativeSession.From(body, username);
    }

    /// <summary>Refreshes a bound session with a proof from <paramref name="key"/>; asserts DPoP tokens and returns the new session state.</summary>
    public static async Task<NativeSession> RefreshBoundAsync(this RotorClient client, NativeSession session, DpopKey key)
    {
        using var response = await client.RefreshWithProofAsync(session.RefreshToken, client.ProofFor(key, HttpMethod.Post, "/auth/refresh"));
        return NativeSession.From(await AssertTokensAsync(response, "DPoP"), session.Username);
    }

    /// <summary>Asserts a 200 token answer of <paramref name="tokenType"/>; returns its body.</summary>
    public static async Task<JsonObject> AssertTokensAsync(HttpResponseMessage response, string tokenType)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(tokenType, (string?)body["tokenType"]);
        return body;
    }

    /// <summary>The access token's <c>cnf.jkt</c>, or null when it has none.</summary>
    public static string? Jkt(string accessToken) =>
        RotorClient.DecodeJwtPart(accessToken, 1).TryGetProperty("cnf", out var cnf) ? cnf.GetProperty("jkt").GetString() : null;

    private static void Add(HttpRequestMessage request, params string?[] proofs)
    {
        foreach (var proof in proofs ?? [])
        {
            if (proof is not null)
            {
                request.Headers.TryAddWithoutValidation("DPoP", proof);
            }
        }
    }
}

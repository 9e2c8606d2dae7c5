using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Rotor.Client.Tests.Infrastructure;

/// <summary>
/// A stand-in Rotor server that speaks DPoP (RFC 9449) and checks every proof with <see cref="DpopProofCheck"/>
/// (Microsoft.IdentityModel), for the client behaviours the real host cannot be steered into on demand: a nonce on
/// every call, a nonce that changes, a server that does not bind. Login binds to the proof's key; refresh needs a
/// proof by that key; <c>/users/me</c> needs <c>Authorization: DPoP</c> with a proof carrying <c>ath</c>.
/// </summary>
public sealed class DpopStubServer : IAsyncDisposable
{
    private readonly LoopbackApp _app;
    private int _generation;
    private int _nonceCounter;

    private DpopStubServer(LoopbackApp app) => _app = app;

    public Uri Address => _app.Address;

    public ConcurrentQueue<ReceivedRequest> Received => _app.Received;

    /// <summary>Every proof check that failed; a test ends with none.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    /// <summary>When set, every call needs the current nonce; a proof without it is answered with <c>use_dpop_nonce</c>.</summary>
    public bool RequireNonce { get; set; }

    /// <summary>When set, every call is asked for a new nonce, whatever the proof carries.</summary>
    public bool AlwaysDemandNewNonce { get; set; }

    /// <summary>When set, a login with a proof is answered as a bearer session (a server without DPoP).</summary>
    public bool Unbound { get; set; }

    public string Nonce { get; private set; } = "nonce-0";

    public string? BoundThumbprint { get; private set; }

    public string AccessToken => $"at-{Volatile.Read(ref _generation)}";

    public int Count(string path) => Received.Count(r => r.Path == path);

    public static async Task<DpopStubServer> StartAsync()
    {
        DpopStubServer? self = null;
        var app = await LoopbackApp.StartAsync(context => self!.AnswerAsync(context));
        self = new DpopStubServer(app);
        return self;
    }

    /// <summary>Makes the server's nonce a new one, as a server does from time to time.</summary>
    public void RotateNonce() => Nonce = $"nonce-{Interlocked.Increment(ref _nonceCounter)}";

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var proof = request.Headers["DPoP"].ToString();
        var htu = new Uri(Address, request.Path.Value!.TrimStart('/')).AbsoluteUri;
        switch (request.Path.Value)
        {
            case "/auth/login":
                if (proof.Length == 0 || Unbound)
                {
                    await IssueAsync(context, "Bearer");
                    return;
                }

                if (await CheckAsync(context, proof, htu, null, resource: false) is { } thumbprint)
                {
                    BoundThumbprint = thumbprint;
                    await IssueAsync(context, "DPoP");
                }

                return;
            case "/auth/refresh":
                var body = await JsonNode.ParseAsync(request.Body);
                if ((string?)body?["refreshToken"] != $"rt-{Volatile.Read(ref _generation)}")
                {
                    await ProblemAsync(context, "refresh_token_reused");
                    return;
                }

                if (BoundThumbprint is null)
                {
                    await IssueAsync(context, "Bearer");
                    return;
                }

                if (await CheckAsync(context, proof, htu, null, resource: false) is { } refreshedBy)
                {
                    if (refreshedBy != BoundThumbprint)
                    {
                        Failures.Enqueue("refresh proof signed by another key");
                        await ProblemAsync(context, "invalid_dpop_proof");
                        return;
                    }

                    await IssueAsync(context, "DPoP");
                }

                return;
            case "/users/me":
                var scheme = BoundThumbprint is null ? "Bearer " : "DPoP ";
                if (request.Headers.Authorization.ToString() != scheme + AccessToken)
                {
                    context.Response.StatusCode = 401;
                    context.Response.Headers.WWWAuthenticate = scheme.Trim() + " error=\"invalid_token\"";
                    return;
                }

                if (BoundThumbprint is null || await CheckAsync(context, proof, htu, AccessToken, resource: true) is not null)
                {
                    await context.Response.WriteAsJsonAsync(new { username = "alice" });
                }

                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    /// <summary>Checks a proof; answers the request itself (and returns <c>null</c>) when it is refused or needs a nonce.</summary>
    private async Task<string?> CheckAsync(HttpContext context, string proof, string htu, string? accessToken, bool resource)
    {
        string? sentNonce = null;
        try
        {
            if (proof.Length > 0)
            {
                var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
                handler.ReadJsonWebToken(proof).TryGetPayloadValue("nonce", out sentNonce);
            }

            var needsNonce = AlwaysDemandNewNonce || (RequireNonce && sentNonce != Nonce);
            if (needsNonce)
            {
                if (AlwaysDemandNewNonce)
                {
                    RotateNonce();
                }

                await NonceChallengeAsync(context, resource);
                return null;
            }

            var (_, thumbprint) = await DpopProofCheck.ValidAsync(proof, new HttpMethod(context.Request.Method), htu, accessToken, sentNonce);
            return thumbprint;
        }
#pragma warning disable CA1031 // A failed check is recorded for the test and refused, as the server would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failures.Enqueue($"{context.Request.Path}: {ex.Message}");
            await ProblemAsync(context, "invalid_dpop_proof");
            return null;
        }
    }

    private async Task NonceChallengeAsync(HttpContext context, bool resource)
    {
        context.Response.StatusCode = 401;
        context.Response.Headers["DPoP-Nonce"] = Nonce;
        if (resource)
        {
            // RFC 9449 §9: a resource server's challenge.
            context.Response.Headers.WWWAuthenticate = "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"";
            return;
        }

        // Rotor's endpoints: problem+json with the code, status from its error table.
        await context.Response.WriteAsJsonAsync(new { code = "use_dpop_nonce", title = "A DPoP nonce is required" }, (JsonSerializerOptions?)null, "application/problem+json");
    }

    private static Task ProblemAsync(HttpContext context, string code)
    {
        context.Response.StatusCode = 401;
        return context.Response.WriteAsJsonAsync(new { code }, (JsonSerializerOptions?)null, "application/problem+json");
    }

    private Task IssueAsync(HttpContext context, string tokenType)
    {
        var generation = Interlocked.Increment(ref _generation);
        context.Response.Headers["DPoP-Nonce"] = Nonce;
        return context.Response.WriteAsJsonAsync(new
        {
            accessToken = $"at-{generation}",
            tokenType,
            expiresIn = 600,
            sessionId = "s-1",
            user = new { id = "u-1", username = "alice" },
            refreshToken = $"rt-{generation}",
        });
    }
}

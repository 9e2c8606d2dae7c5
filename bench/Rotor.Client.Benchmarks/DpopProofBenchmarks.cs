using System.Net;
using BenchmarkDotNet.Attributes;
using Rotor.Client.Internal;

namespace Rotor.Client.Benchmarks;

/// <summary>
/// What DPoP (<see cref="RotorSessionOptions.UseDpop"/>) costs the client: signing one proof (an ES256 signature over a
/// small JWT), and one request through <see cref="RotorSessionHandler"/> with a DPoP-bound token against a bearer one,
/// ending in an in-memory handler (no network, no server).
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the fields.
public class DpopProofBenchmarks
#pragma warning restore CA1001
{
    private static readonly Uri Server = new("https://api.example.com/");
    private static readonly Uri Target = new(Server, "users/me");
    private readonly DpopSigner _key = DpopSigner.Generate();
    private readonly string _ath = DpopSigner.HashAccessToken(AccessToken);
    private HttpMessageInvoker _bearer = null!;
    private HttpMessageInvoker _bound = null!;
    private RotorSession _bearerSession = null!;
    private RotorSession _boundSession = null!;

    private static string AccessToken { get; } = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0." + new string('x', 300) + "." + new string('s', 86);

    [GlobalSetup]
    public void Setup()
    {
        _bearerSession = Session(null);
        _boundSession = Session(_key.PrivateJwk);
        _bearer = new HttpMessageInvoker(_bearerSession.CreateHandler(new TerminalHandler()));
        _bound = new HttpMessageInvoker(_boundSession.CreateHandler(new TerminalHandler()));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bearer.Dispose();
        _bound.Dispose();
        _bearerSession.Dispose();
        _boundSession.Dispose();
    }

    [Benchmark(Description = "proof for a refresh (no ath, no nonce)")]
    public string RefreshProof() => _key.CreateProof(HttpMethod.Post, Target, null, null, DateTimeOffset.UtcNow);

    [Benchmark(Description = "proof for an API call (ath + nonce)")]
    public string ApiProof() => _key.CreateProof(HttpMethod.Get, Target, _ath, "server-nonce-0123456789abcdef", DateTimeOffset.UtcNow);

    [Benchmark(Baseline = true, Description = "GET through the handler, bearer token")]
    public Task<HttpResponseMessage> BearerGet() => _bearer.SendAsync(new HttpRequestMessage(HttpMethod.Get, Target), CancellationToken.None);

    [Benchmark(Description = "GET through the handler, DPoP-bound token")]
    public Task<HttpResponseMessage> BoundGet() => _bound.SendAsync(new HttpRequestMessage(HttpMethod.Get, Target), CancellationToken.None);

    private static RotorSession Session(string? dpopKey)
    {
        var now = DateTimeOffset.UtcNow;
        var tokens = new RotorTokens
        {
            AccessToken = AccessToken,
            RefreshToken = "refresh",
            ReceivedAt = now,
            ExpiresAt = now.AddHours(1),
            SessionId = "s1",
            User = new RotorUser("1", "alice", null),
            TokenType = dpopKey is null ? "Bearer" : "DPoP",
            DpopKey = dpopKey,
        };
        var session = new RotorSession(new RotorSessionOptions { ServerAddress = Server, TokenStore = new RotorMemoryTokenStore(tokens) });
        session.RestoreAsync().GetAwaiter().GetResult();
        return session;
    }

    private sealed class TerminalHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
    }
}

using System.Net;
using BenchmarkDotNet.Attributes;
using Rotor.Client;

namespace Rotor.Client.Benchmarks;

/// <summary>
/// What <see cref="RotorSessionHandler"/> adds to one request when the access token is valid: the same request through
/// an invoker with and without the handler, ending in an in-memory handler that answers at once (no network).
/// </summary>
/// <remarks>
/// With <see cref="TransportReadsUri"/> the terminal handler reads the request URI's host, port and path as a real
/// transport (SocketsHttpHandler) does. A <see cref="Uri"/> parses those parts lazily and caches them, so whoever reads
/// them first pays for it; with a real transport that cost is there with or without the handler.
/// </remarks>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the fields.
public class HandlerOverheadBenchmarks
#pragma warning restore CA1001
{
    private static readonly Uri Server = new("https://api.example.com/");
    private HttpMessageInvoker _plain = null!;
    private HttpMessageInvoker _withSession = null!;
    private RotorSession _session = null!;

    /// <summary>Whether the terminal handler reads the URI like a transport.</summary>
    [Params(false, true)]
    public bool TransportReadsUri { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTimeOffset.UtcNow;
        var tokens = new RotorTokens
        {
            // A realistic ES256 access-token length (about 400 characters).
            AccessToken = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0." + new string('x', 300) + "." + new string('s', 86),
            RefreshToken = "refresh",
            ReceivedAt = now,
            ExpiresAt = now.AddHours(1),
            SessionId = "s1",
            User = new RotorUser("1", "alice", null),
        };
        _session = new RotorSession(new RotorSessionOptions { ServerAddress = Server, TokenStore = new RotorMemoryTokenStore(tokens) });
        _session.RestoreAsync().GetAwaiter().GetResult();
        _plain = new HttpMessageInvoker(new TerminalHandler(TransportReadsUri));
        _withSession = new HttpMessageInvoker(_session.CreateHandler(new TerminalHandler(TransportReadsUri)));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _withSession.Dispose();
        _session.Dispose();
    }

    [Benchmark(Baseline = true, Description = "GET without the handler")]
    public Task<HttpResponseMessage> WithoutHandler() =>
        _plain.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Server, "users/me")), CancellationToken.None);

    [Benchmark(Description = "GET with RotorSessionHandler, valid token")]
    public Task<HttpResponseMessage> WithHandler() =>
        _withSession.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Server, "users/me")), CancellationToken.None);

    /// <summary>Answers every request with one shared response, so the benchmark measures the pipeline, not a server.</summary>
    private sealed class TerminalHandler(bool readUri) : HttpMessageHandler
    {
        private readonly Task<HttpResponseMessage> _ok = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (readUri)
            {
                var uri = request.RequestUri!;
                GC.KeepAlive(uri.IdnHost);
                GC.KeepAlive(uri.Port);
                GC.KeepAlive(uri.PathAndQuery);
            }

            return _ok;
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests;

/// <summary>The session under test, with its fake clock, and the handler that notes what it sent.</summary>
public sealed partial class TwoStepSignInTests
{
    /// <summary>A session whose own calls go through a <see cref="Recorder"/>, with a fake clock and an API client.</summary>
    private sealed class Client : IDisposable
    {
        private int _expired;

        private Client(RotorSession session, Recorder recorder, HttpClient api, FakeTimeProvider clock)
        {
            Session = session;
            Recorder = recorder;
            Api = api;
            Clock = clock;
            session.SessionExpired += (_, _) => Interlocked.Increment(ref _expired);
        }

        public RotorSession Session { get; }

        public Recorder Recorder { get; }

        public HttpClient Api { get; }

        public FakeTimeProvider Clock { get; }

        public int ExpiredEvents => Volatile.Read(ref _expired);

        public static Client Create(RotorServer server, Action<RotorSessionOptions>? configure = null, DateTimeOffset? clockStart = null)
        {
            var options = new RotorSessionOptions { ServerAddress = server.Address };
            configure?.Invoke(options);
            var clock = new FakeTimeProvider(clockStart ?? DateTimeOffset.UtcNow);
            var recorder = new Recorder();
            var session = new RotorSession(options, recorder, clock);
            return new Client(session, recorder, new HttpClient(session.CreateHandler()) { BaseAddress = server.Address }, clock);
        }

        public void Dispose()
        {
            Api.Dispose();
            Session.Dispose();
        }
    }

    /// <summary>
    /// The session's own handler: sends everything to the real host and notes what the session sent. It answers
    /// nothing itself; <see cref="HoldAnswer"/> only delays the host's answer.
    /// </summary>
    private sealed class Recorder() : DelegatingHandler(new SocketsHttpHandler { UseCookies = false })
    {
        private readonly ConcurrentQueue<Sent> _sent = new();
        private Hold? _hold;

        public Sent Single(string path) => Assert.Single(All(path));

        public Sent[] All(string path) => [.. _sent.Where(r => r.Path == path)];

        /// <summary>
        /// Keeps the host's answer to the next request for <paramref name="path"/> from the session until
        /// <paramref name="release"/> completes; the returned task completes with the answer's body once it has arrived.
        /// </summary>
        public Task<string> HoldAnswer(string path, Task release)
        {
            var hold = new Hold(path, release);
            Volatile.Write(ref _hold, hold);
            return hold.Answered.Task;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            _sent.Enqueue(new Sent(path, request.Headers.TryGetValues("Authorization", out var a) ? a.Single() : null, body));
            var response = await base.SendAsync(request, cancellationToken);
            if (Volatile.Read(ref _hold) is { } hold && hold.Path == path && Interlocked.CompareExchange(ref _hold, null, hold) == hold)
            {
                hold.Answered.SetResult(await response.Content.ReadAsStringAsync(cancellationToken));
                await hold.Release.WaitAsync(cancellationToken);
            }

            return response;
        }

        private sealed record Hold(string Path, Task Release)
        {
            public TaskCompletionSource<string> Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private sealed record Sent(string Path, string? Authorization, string Body);
}

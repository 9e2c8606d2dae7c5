using Microsoft.Extensions.Time.Testing;

namespace Rotor.Client.Tests.Infrastructure;

/// <summary>A session against a <see cref="RotorServer"/> with a fake client clock, and an API client through its handler.</summary>
public sealed class SessionHarness : IDisposable
{
    private int _expiredEvents;

    private SessionHarness(RotorSession session, HttpClient api, FakeTimeProvider clock)
    {
        Session = session;
        Api = api;
        Clock = clock;
        session.SessionExpired += (_, e) =>
        {
            Interlocked.Increment(ref _expiredEvents);
            LastExpiredReason = e.Reason;
        };
    }

    public RotorSession Session { get; }

    public HttpClient Api { get; }

    /// <summary>The client's clock; it only moves when a test moves it.</summary>
    public FakeTimeProvider Clock { get; }

    public int ExpiredEvents => Volatile.Read(ref _expiredEvents);

    public string? LastExpiredReason { get; private set; }

    public static SessionHarness Create(RotorServer server, Action<RotorSessionOptions>? configure = null, HttpMessageHandler? apiInner = null, DateTimeOffset? clockStart = null) =>
        Create(server.Address, configure, apiInner, clockStart);

    /// <summary>A harness against any server address, such as a stand-in server.</summary>
    public static SessionHarness Create(Uri serverAddress, Action<RotorSessionOptions>? configure = null, HttpMessageHandler? apiInner = null, DateTimeOffset? clockStart = null)
    {
        var options = new RotorSessionOptions { ServerAddress = serverAddress };
        configure?.Invoke(options);
        var clock = new FakeTimeProvider(clockStart ?? DateTimeOffset.UtcNow);
        var session = new RotorSession(options, timeProvider: clock);
        var api = new HttpClient(session.CreateHandler(apiInner)) { BaseAddress = serverAddress, Timeout = TimeSpan.FromSeconds(100) };
        return new SessionHarness(session, api, clock);
    }

    public async Task<RotorLoginResult> LoginAsync(string user)
    {
        var result = await Session.LoginAsync(user, RotorServer.Password);
        Assert.True(result.Succeeded, $"login failed: {result.ErrorCode} {result.Detail}");
        return result;
    }

    /// <summary>Moves the client clock past the access token's expiry.</summary>
    public void ExpireAccessTokenOnClientClock()
    {
        var tokens = Session.State.Tokens ?? throw new InvalidOperationException("not signed in");
        Clock.SetUtcNow(tokens.ExpiresAt + TimeSpan.FromSeconds(1));
    }

    public void Dispose()
    {
        Api.Dispose();
        Session.Dispose();
    }
}

using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests;

/// <summary>
/// Defect 11: the session's own calls (login, refresh, logout, logout-all) never follow a redirect, whatever handler the
/// app supplied, because a 307/308 re-posts the body (refresh token, password) to the host it names. And the token is
/// only ever attached for configured origins, also after an inner handler followed a redirect on an API request.
/// </summary>
public sealed class RedirectTests
{
    private const string RefreshToken = "rt-secret-never-elsewhere";
    private const string AccessToken = "at-secret-never-elsewhere";

    [Theory]
    [InlineData(307, "default")]
    [InlineData(308, "default")]
    [InlineData(307, "SocketsHttpHandler")]
    [InlineData(308, "SocketsHttpHandler")]
    [InlineData(307, "HttpClientHandler")]
    [InlineData(308, "HttpClientHandler")]
    public async Task Without_dependency_injection_the_sessions_own_calls_never_follow_a_redirect(int status, string authHandlerKind)
    {
        await using var elsewhere = await LoopbackApp.StartAsync(AnswerUnauthorized);
        await using var server = await LoopbackApp.RedirectingToAsync(elsewhere.Address, status);
        await AssertRedirectsReachElsewhereAsync(server, elsewhere);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new RotorMemoryTokenStore(SignedInTokens(clock));
        // An app's handler as it usually comes: AllowAutoRedirect is true by default on both.
        using var authHandler = authHandlerKind switch
        {
            "SocketsHttpHandler" => new SocketsHttpHandler { UseCookies = false },
            "HttpClientHandler" => (HttpMessageHandler)new HttpClientHandler { UseCookies = false },
            _ => null,
        };
        using var session = new RotorSession(new RotorSessionOptions { ServerAddress = server.Address, TokenStore = store }, authHandler, clock);
        using var api = new HttpClient(session.CreateHandler()) { BaseAddress = server.Address };

        await AssertNoCallFollowsTheRedirectAsync(session, api, clock, store, server, elsewhere, status);
    }

    [Theory]
    [InlineData(307, "default")]
    [InlineData(308, "default")]
    [InlineData(307, "primary handler set for the auth client")]
    [InlineData(308, "primary handler set for every client")]
    public async Task With_AddRotorSession_the_sessions_own_calls_never_follow_a_redirect(int status, string configuration)
    {
        await using var elsewhere = await LoopbackApp.StartAsync(AnswerUnauthorized);
        await using var server = await LoopbackApp.RedirectingToAsync(elsewhere.Address, status);
        await AssertRedirectsReachElsewhereAsync(server, elsewhere);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new RotorMemoryTokenStore(SignedInTokens(clock));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        if (configuration == "primary handler set for every client")
        {
            services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true }));
        }

        services.AddHttpClient("api", c => c.BaseAddress = server.Address)
                .AddRotorSession(o =>
                {
                    o.ServerAddress = server.Address;
                    o.TokenStore = store;
                });
        if (configuration == "primary handler set for the auth client")
        {
            // Registered after AddRotorSession, so it replaces the primary handler the session's callback saw first.
            services.AddHttpClient("api" + RotorHttpClientBuilderExtensions.AuthClientSuffix)
                    .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = true, UseCookies = true });
        }

        await using var provider = services.BuildServiceProvider();
        var session = provider.GetRequiredService<RotorSession>();
        var api = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        await AssertNoCallFollowsTheRedirectAsync(session, api, clock, store, server, elsewhere, status);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task An_api_request_redirected_to_another_origin_never_carries_the_token_there_and_its_401_causes_no_refresh(string method)
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        await using var elsewhere = await LoopbackApp.StartAsync(AnswerUnauthorized);
        await using var trusted = await LoopbackApp.RedirectingToAsync(elsewhere.Address, 307);
        // The API client's inner handler follows redirects (the default); the trusted origin sends it elsewhere.
        using var harness = SessionHarness.Create(server, o => o.TrustedOrigins.Add(trusted.Address));
        await harness.LoginAsync(user);

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(trusted.Address, "api/data"))
        {
            Content = method == "POST" ? JsonContent.Create(new { note = "x" }) : null,
        };
        using var response = await harness.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer ", Assert.Single(trusted.Received).Authorization, StringComparison.Ordinal);
        // HttpClient drops Authorization on the redirect, and the 401 from there is not "retried" there with the token.
        var received = Assert.Single(elsewhere.Received);
        Assert.Equal("", received.Authorization);
        Assert.Equal(0, server.Probe.RefreshCount);
        Assert.True(harness.Session.IsSignedIn);
        Assert.Equal(0, harness.ExpiredEvents);
    }

    [Fact]
    public async Task An_answer_that_a_handler_fetched_from_another_origin_is_never_believed()
    {
        // What another origin would like the session to believe: a sign-in with its tokens and cookie.
        await using var elsewhere = await LoopbackApp.StartAsync(async context =>
        {
            context.Response.Headers.SetCookie = "planted=1; Path=/";
            await context.Response.WriteAsJsonAsync(new
            {
                accessToken = "planted",
                tokenType = "Bearer",
                expiresIn = 600,
                sessionId = "s-planted",
                user = new { id = "1", username = "mallory" },
                refreshToken = "planted",
            });
        });
        await using var server = await LoopbackApp.RedirectingToAsync(elsewhere.Address, 307);
        // A handler the session cannot configure (not a SocketsHttpHandler or HttpClientHandler) that follows redirects.
        using var follower = new RedirectFollowingHandler();
        using var session = new RotorSession(new RotorSessionOptions { ServerAddress = server.Address }, follower);

        await Assert.ThrowsAsync<HttpRequestException>(() => session.LoginAsync("alice", "password"));

        Assert.Single(elsewhere.Received);
        Assert.False(session.IsSignedIn);
        Assert.Empty(session.Cookies.GetAllCookies());
    }

    [Fact]
    public async Task An_auth_handler_that_follows_redirects_and_can_no_longer_be_changed_is_refused()
    {
        using var handler = new SocketsHttpHandler { UseCookies = false };
        using (var invoker = new HttpMessageInvoker(handler, disposeHandler: false))
        using (var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:1/"))
        {
            // Sending freezes the handler's settings, whether or not anything answers.
            await Record.ExceptionAsync(() => invoker.SendAsync(request, CancellationToken.None));
        }

        var error = Assert.Throws<ArgumentException>(() => new RotorSession(new RotorSessionOptions { ServerAddress = new Uri("http://127.0.0.1:1/") }, handler));

        Assert.Equal("authHandler", error.ParamName);
        Assert.Contains("AllowAutoRedirect = false", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Login, logout-all, refresh and logout each meet the redirect: all fail, the token stays home.</summary>
    private static async Task AssertNoCallFollowsTheRedirectAsync(RotorSession session, HttpClient api, FakeTimeProvider clock, RotorMemoryTokenStore store,
        LoopbackApp server, LoopbackApp elsewhere, int status)
    {
        var expired = 0;
        session.SessionExpired += (_, _) => Interlocked.Increment(ref expired);

        var login = await session.LoginAsync("alice", "hunter2-password");

        Assert.False(login.Succeeded);
        Assert.Equal((HttpStatusCode)status, login.StatusCode);
        Assert.Equal("http_" + status, login.ErrorCode);
        Assert.False(login.MfaRequired);
        Assert.Equal(RefreshToken, session.State.Tokens!.RefreshToken);

        Assert.False(await session.LogoutEverywhereAsync());
        Assert.True(session.IsSignedIn);

        // A redirect answering a refresh is a failure that keeps the tokens, not the end of the session.
        clock.SetUtcNow(session.State.Tokens.ExpiresAt + TimeSpan.FromSeconds(1));
        var refresh = await Assert.ThrowsAsync<RotorRefreshFailedException>(() => api.GetAsync("users/me"));
        Assert.Equal((HttpStatusCode)status, refresh.StatusCode);
        Assert.True(session.IsSignedIn);
        Assert.Equal(RefreshToken, session.State.Tokens!.RefreshToken);
        Assert.Equal(RefreshToken, (await store.LoadAsync(CancellationToken.None))!.RefreshToken);
        Assert.Equal(0, Volatile.Read(ref expired));

        Assert.False(await session.LogoutAsync());

        Assert.Equal(["/auth/login", "/auth/logout-all", "/auth/refresh", "/auth/logout"], server.Received.Select(r => r.Path));
        Assert.Contains(RefreshToken, server.Received.Single(r => r.Path == "/auth/refresh").Body, StringComparison.Ordinal);
        Assert.Equal("Bearer " + AccessToken, server.Received.Single(r => r.Path == "/auth/logout-all").Authorization);
        Assert.Empty(elsewhere.Received);
    }

    /// <summary>The trap works: a client that follows redirects does carry the body to the other listener.</summary>
    private static async Task AssertRedirectsReachElsewhereAsync(LoopbackApp server, LoopbackApp elsewhere)
    {
        using var naive = new HttpClient();
        using var response = await naive.PostAsJsonAsync(new Uri(server.Address, "auth/refresh"), new { refreshToken = "probe" });
        var followed = Assert.Single(elsewhere.Received);
        Assert.Equal("/auth/refresh", followed.Path);
        Assert.Contains("probe", followed.Body, StringComparison.Ordinal);
        server.Received.Clear();
        elsewhere.Received.Clear();
    }

    private static RotorTokens SignedInTokens(TimeProvider clock) => new()
    {
        AccessToken = AccessToken,
        RefreshToken = RefreshToken,
        ReceivedAt = clock.GetUtcNow(),
        ExpiresAt = clock.GetUtcNow().AddMinutes(10),
        SessionId = "s1",
        User = new RotorUser("1", "alice", null),
    };

    private static async Task AnswerUnauthorized(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync("""{"status":401,"code":"invalid_token"}""");
    }

    /// <summary>An opaque handler that follows redirects through an HttpClient of its own.</summary>
    private sealed class RedirectFollowingHandler : HttpMessageHandler
    {
        private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = true, UseCookies = false });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _client.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _client.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

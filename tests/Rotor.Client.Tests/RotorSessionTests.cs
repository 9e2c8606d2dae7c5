using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests;

public sealed class RotorSessionTests
{
    [Fact]
    public async Task Login_then_requests_carry_the_token_and_logout_revokes_the_session()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);

        var login = await harness.LoginAsync(user);
        Assert.Equal(user, harness.Session.CurrentUser!.Username);
        var me = await harness.Api.GetStringAsync("users/me");
        var refreshToken = harness.Session.State.Tokens!.RefreshToken!;
        var loggedOut = await harness.Session.LogoutAsync();

        Assert.Equal(user, login.User!.Username);
        Assert.Null(harness.Session.CurrentUser);
        Assert.Contains(user, me, StringComparison.Ordinal);
        Assert.True(loggedOut);
        Assert.False(harness.Session.IsSignedIn);
        Assert.Equal(0, harness.ExpiredEvents);
        using var client = server.CreatePlainClient();
        using var reuse = await client.PostAsJsonAsync("auth/refresh", new { refreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
    }

    [Fact]
    public async Task A_session_revoked_from_another_device_raises_SessionExpired_once_and_fails_every_caller_quickly()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);
        await harness.LoginAsync(user);
        var sessionId = harness.Session.SessionId!;
        await RevokeFromAnotherDeviceAsync(server, user, sessionId);

        var stopwatch = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, 20).Select(_ => harness.Api.GetAsync("users/me")).ToArray();
        var failures = await Task.WhenAll(calls.Select(c => Record.ExceptionAsync(() => c)));
        stopwatch.Stop();

        Assert.All(failures, f => Assert.IsType<RotorSessionExpiredException>(f));
        Assert.All(failures, f => Assert.Equal("session_revoked", ((RotorSessionExpiredException)f!).Reason));
        Assert.Equal(1, harness.ExpiredEvents);
        Assert.Equal("session_revoked", harness.LastExpiredReason);
        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.False(harness.Session.IsSignedIn);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}, the request timeout is 100 s");

        // Later requests go out signed out; they neither hang nor raise the event again.
        var me = await harness.Api.GetStringAsync("users/me");
        Assert.Contains("null", me, StringComparison.Ordinal);
        Assert.Equal(1, harness.ExpiredEvents);
    }

    [Fact]
    public async Task Waiters_of_a_refresh_that_is_refused_fail_at_once_with_the_typed_exception()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);
        await harness.LoginAsync(user);
        await RevokeFromAnotherDeviceAsync(server, user, harness.Session.SessionId!);
        harness.ExpireAccessTokenOnClientClock();
        var gate = new TaskCompletionSource();
        server.Probe.RefreshGate = gate.Task;
        var arrived = server.Probe.RefreshArrived;

        var calls = Enumerable.Range(0, 10).Select(_ => harness.Api.GetAsync("users/me")).ToArray();
        await arrived.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        gate.SetResult();
        var failures = await Task.WhenAll(calls.Select(c => Record.ExceptionAsync(() => c))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(failures, f => Assert.IsType<RotorSessionExpiredException>(f));
        Assert.Equal(1, harness.ExpiredEvents);
        Assert.Equal(1, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task A_refresh_answered_503_keeps_the_session_and_the_next_request_after_recovery_succeeds()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);
        await harness.LoginAsync(user);
        harness.ExpireAccessTokenOnClientClock();
        server.Probe.RefreshUnavailable = true;

        var failure = await Assert.ThrowsAsync<RotorRefreshFailedException>(() => harness.Api.GetAsync("users/me"));
        // Within the back-off, no second refresh reaches the server.
        await Assert.ThrowsAsync<RotorRefreshFailedException>(() => harness.Api.GetAsync("users/me"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), failure.RetryAfter);
        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.True(harness.Session.IsSignedIn);
        Assert.Equal(0, harness.ExpiredEvents);

        server.Probe.RefreshUnavailable = false;
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        var me = await harness.Api.GetStringAsync("users/me");

        Assert.Contains(user, me, StringComparison.Ordinal);
        Assert.Equal(2, server.Probe.RefreshCount);
        Assert.Equal(0, harness.ExpiredEvents);
    }

    [Fact]
    public async Task A_failed_proactive_refresh_still_sends_the_request_while_the_token_is_valid()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);
        await harness.LoginAsync(user);
        harness.Clock.SetUtcNow(harness.Session.State.Tokens!.ExpiresAt - TimeSpan.FromSeconds(10));
        server.Probe.RefreshUnavailable = true;

        var me = await harness.Api.GetStringAsync("users/me");
        var duringBackoff = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => harness.Api.GetStringAsync("users/me")));

        Assert.Contains(user, me, StringComparison.Ordinal);
        Assert.All(duringBackoff, b => Assert.Contains(user, b, StringComparison.Ordinal));
        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.True(harness.Session.IsSignedIn);

        // After the back-off, the next request tries again and renews the token.
        server.Probe.RefreshUnavailable = false;
        harness.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(2, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task A_refresh_that_cannot_reach_the_server_keeps_the_session()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        // The session's own calls go through a handler that can be switched off, like a dropped connection.
        var network = new SwitchableHandler();
        var options = new RotorSessionOptions { ServerAddress = server.Address };
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var session = new RotorSession(options, network, clock);
        using var api = new HttpClient(session.CreateHandler()) { BaseAddress = server.Address };
        Assert.True((await session.LoginAsync(user, RotorServer.Password)).Succeeded);
        clock.SetUtcNow(session.State.Tokens!.ExpiresAt + TimeSpan.FromSeconds(1));
        network.Down = true;

        var failure = await Assert.ThrowsAsync<RotorRefreshFailedException>(() => api.GetAsync("users/me"));

        Assert.Null(failure.StatusCode);
        Assert.IsType<HttpRequestException>(failure.InnerException);
        Assert.True(session.IsSignedIn);
        network.Down = false;
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Contains(user, await api.GetStringAsync("users/me"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-5)]
    public async Task A_client_clock_hours_off_refreshes_exactly_once_per_token_lifetime(int hoursOff)
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server, clockStart: DateTimeOffset.UtcNow.AddHours(hoursOff));
        await harness.LoginAsync(user);
        var lifetime = harness.Session.State.Tokens!.ExpiresAt - harness.Session.State.Tokens.ReceivedAt;
        Assert.Equal(TimeSpan.FromMinutes(10), lifetime);

        for (var period = 1; period <= 3; period++)
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
            }

            Assert.Equal(period - 1, server.Probe.RefreshCount);
            // One token lifetime passes on the client's clock (seconds pass on the server's).
            harness.Clock.Advance(lifetime);
        }

        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(3, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task A_waiter_cancelling_does_not_cancel_the_refresh_for_the_others()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);
        await harness.LoginAsync(user);
        harness.ExpireAccessTokenOnClientClock();
        var gate = new TaskCompletionSource();
        server.Probe.RefreshGate = gate.Task;
        var arrived = server.Probe.RefreshArrived;

        using var impatient = new CancellationTokenSource();
        var cancelled = harness.Api.GetAsync("users/me", impatient.Token);
        var others = Enumerable.Range(0, 5).Select(_ => harness.Api.GetAsync("users/me")).ToArray();
        await arrived.WaitAsync(TimeSpan.FromSeconds(30));
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(others, o => Assert.False(o.IsCompleted));
        gate.SetResult();
        var responses = await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.True(harness.Session.IsSignedIn);
    }

    [Fact]
    public async Task LogoutEverywhere_revokes_other_devices_and_forgets_the_tokens()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var laptop = SessionHarness.Create(server);
        using var phone = SessionHarness.Create(server);
        await laptop.LoginAsync(user);
        await phone.LoginAsync(user);

        Assert.True(await laptop.Session.LogoutEverywhereAsync());

        Assert.False(laptop.Session.IsSignedIn);
        await Assert.ThrowsAsync<RotorSessionExpiredException>(() => phone.Api.GetAsync("users/me"));
        Assert.Equal(1, phone.ExpiredEvents);
        Assert.Equal(0, laptop.ExpiredEvents);
    }

    [Fact]
    public async Task Cookie_mode_keeps_the_refresh_token_in_the_cookie_container()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server, o => o.Mode = RotorSessionMode.Cookie);

        await harness.LoginAsync(user);
        // The test server is plain http with Secure off, so the cookie has no __Host- prefix.
        var cookie = harness.Session.Cookies.GetAllCookies().Single(c => c.Name == "rotor_refresh");
        Assert.True(cookie.HttpOnly);
        Assert.Equal("/", cookie.Path);
        Assert.Null(harness.Session.State.Tokens!.RefreshToken);

        harness.ExpireAccessTokenOnClientClock();
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.NotEqual(cookie.Value, harness.Session.Cookies.GetAllCookies().Single(c => c.Name == "rotor_refresh" && !c.Expired).Value);

        Assert.True(await harness.Session.LogoutAsync());
        Assert.DoesNotContain(harness.Session.Cookies.GetAllCookies(), c => !c.Expired);
    }

    [Fact]
    public async Task Login_replaces_an_ended_session_and_SessionExpired_can_fire_again_for_the_new_one()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);
        await harness.LoginAsync(user);
        await RevokeFromAnotherDeviceAsync(server, user, harness.Session.SessionId!);
        await Assert.ThrowsAsync<RotorSessionExpiredException>(() => harness.Api.GetAsync("users/me"));

        await harness.LoginAsync(user);
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        await RevokeFromAnotherDeviceAsync(server, user, harness.Session.SessionId!);
        await Assert.ThrowsAsync<RotorSessionExpiredException>(() => harness.Api.GetAsync("users/me"));

        Assert.Equal(2, harness.ExpiredEvents);
    }

    [Fact]
    public void Wrong_options_are_refused_with_a_message_that_says_what_to_fix()
    {
        var options = new RotorSessionOptions { RefreshMargin = TimeSpan.FromHours(2) };
        options.ExcludedPaths.Add("auth/otp");

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new RotorSession(options));

        Assert.Contains("ServerAddress is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("RefreshMargin must be between", error.Message, StringComparison.Ordinal);
        Assert.Contains("must start with '/'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_never_show_their_secrets_when_logged()
    {
        var tokens = new RotorTokens
        {
            AccessToken = "secret-access",
            RefreshToken = "secret-refresh",
            ReceivedAt = DateTimeOffset.UnixEpoch,
            ExpiresAt = DateTimeOffset.UnixEpoch.AddMinutes(15),
            SessionId = "s1",
            User = new RotorUser("1", "alice", null),
        };

        Assert.DoesNotContain("secret", tokens.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Signs in as the same user elsewhere and revokes <paramref name="sessionId"/> from there.</summary>
    internal static async Task RevokeFromAnotherDeviceAsync(RotorServer server, string user, string sessionId)
    {
        using var other = server.CreatePlainClient();
        using var login = await other.PostAsJsonAsync("auth/login", new { username = user, password = RotorServer.Password, mode = "native" });
        login.EnsureSuccessStatusCode();
        var body = await login.Content.ReadFromJsonAsync<LoginBody>();
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"auth/sessions/{sessionId}");
        delete.Headers.Authorization = new("Bearer", body!.AccessToken);
        using var deleted = await other.SendAsync(delete);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    private sealed record LoginBody(string AccessToken);

    private sealed class SwitchableHandler() : DelegatingHandler(new SocketsHttpHandler { UseCookies = false })
    {
        public volatile bool Down;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Down ? Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused (test)")) : base.SendAsync(request, cancellationToken);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests;

public sealed class RotorSessionHandlerTests
{
    [Fact]
    public async Task A_hundred_concurrent_requests_with_an_expired_token_send_exactly_one_refresh()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);
        await harness.LoginAsync(user);
        harness.ExpireAccessTokenOnClientClock();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => harness.Api.GetAsync("users/me")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.All(bodies, b => Assert.Contains(user, b, StringComparison.Ordinal));
        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.Equal(0, harness.ExpiredEvents);
    }

    [Fact]
    public async Task A_hundred_concurrent_requests_whose_token_the_server_rejects_send_exactly_one_refresh_and_all_succeed()
    {
        // The client believes its token is good (its clock stands still); the server has let it expire.
        await using var server = RotorServer.Start(new Dictionary<string, string?> { ["Rotor:AccessTokenLifetime"] = "00:00:05" });
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server, o => o.RefreshMargin = TimeSpan.Zero);
        await harness.LoginAsync(user);
        await WaitUntilServerRejectsAsync(server, harness.Session.State.AuthorizationValue!);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => harness.Api.GetAsync("users/me")));

        Assert.Equal(1, server.Probe.RefreshCount);
        // Retries carry a token only seconds old; the bound is generous for a loaded machine.
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task A_hundred_concurrent_requests_with_a_token_the_server_refuses_retry_after_one_refresh()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = await SignedInWithBrokenAccessTokenAsync(server, user);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => harness.Api.GetAsync("users/me")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, server.Probe.RefreshCount);
        // Each request went out at most twice: once with the refused token (unless it started after the refresh), once with the new.
        var meRequests = server.Probe.AllRequests.Where(r => r.Path == "/users/me").ToArray();
        var refused = meRequests.Count(r => r.Authorization!.EndsWith("broken", StringComparison.Ordinal));
        Assert.InRange(refused, 1, 100);
        Assert.Equal(100 + refused, meRequests.Length);
    }

    [Fact]
    public async Task A_json_post_that_meets_a_401_is_retried_once_with_the_identical_body_and_headers()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = await SignedInWithBrokenAccessTokenAsync(server, user);

        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/logout-all")
        {
            Content = JsonContent.Create(new { note = "ünïcode body", items = new[] { 1, 2, 3 } }),
        };
        request.Headers.Add(ServerProbe.RecordHeader, "json");
        using var response = await harness.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var recorded = server.Probe.Recorded.ToArray();
        Assert.Equal(2, recorded.Length);
        Assert.All(recorded, r => Assert.Equal("POST", r.Method));
        Assert.Equal(recorded[0].ContentType, recorded[1].ContentType);
        Assert.Equal(recorded[0].Body, recorded[1].Body);
        using var json = System.Text.Json.JsonDocument.Parse(recorded[1].Body);
        Assert.Equal("ünïcode body", json.RootElement.GetProperty("note").GetString());
        Assert.EndsWith("broken", recorded[0].Authorization, StringComparison.Ordinal);
        Assert.NotEqual(recorded[0].Authorization, recorded[1].Authorization);
        Assert.Equal(1, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task A_stream_body_of_known_length_is_buffered_and_replayed()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = await SignedInWithBrokenAccessTokenAsync(server, user);
        var bytes = Encoding.UTF8.GetBytes("""{"stream":"body","n":42}""");

        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/logout-all") { Content = new StreamContent(new ForwardOnlyStream(bytes)) };
        request.Content.Headers.ContentLength = bytes.Length;
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(ServerProbe.RecordHeader, "stream");
        using var response = await harness.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var recorded = server.Probe.Recorded.ToArray();
        Assert.Equal(2, recorded.Length);
        Assert.Equal(bytes, recorded[0].Body);
        Assert.Equal(bytes, recorded[1].Body);
    }

    [Fact]
    public async Task A_stream_body_of_unknown_length_is_not_retried_but_the_session_is_renewed()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = await SignedInWithBrokenAccessTokenAsync(server, user);

        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/logout-all") { Content = new StreamContent(new ForwardOnlyStream("{}"u8.ToArray())) };
        request.Content.Headers.ContentType = new("application/json");
        using var response = await harness.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, server.Probe.RefreshCount);
        using var next = await harness.Api.GetAsync("users/me");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Contains(user, await next.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_401_goes_back_to_the_caller_without_another_refresh()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        var stub = new StubHandler(r => r.RequestUri!.AbsolutePath == "/always-401" ? StubHandler.Status(HttpStatusCode.Unauthorized) : null);
        using var harness = SessionHarness.Create(server, apiInner: stub);
        await harness.LoginAsync(user);

        using var response = await harness.Api.GetAsync("always-401");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, stub.Stubbed);
        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.NotEqual(stub.Authorizations[0], stub.Authorizations[1]);
        Assert.True(harness.Session.IsSignedIn);
        Assert.Equal(0, harness.ExpiredEvents);
    }

    [Fact]
    public async Task Excluded_endpoints_get_no_token_and_their_401_never_triggers_a_refresh()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);
        await harness.LoginAsync(user);

        using var login = new HttpRequestMessage(HttpMethod.Post, "auth/login") { Content = JsonContent.Create(new { username = user, password = "wrong-password-1!", mode = "native" }) };
        login.Headers.Add(ServerProbe.RecordHeader, "login");
        using var refused = await harness.Api.SendAsync(login);
        using var refresh = new HttpRequestMessage(HttpMethod.Post, "auth/refresh") { Content = JsonContent.Create(new { refreshToken = "garbage" }) };
        refresh.Headers.Add(ServerProbe.RecordHeader, "refresh");
        using var refreshRefused = await harness.Api.SendAsync(refresh);
        using var register = new HttpRequestMessage(HttpMethod.Post, "auth/register?x=1") { Content = JsonContent.Create(new { username = user, email = user + "@example.com", password = RotorServer.Password }) };
        register.Headers.Add(ServerProbe.RecordHeader, "register");
        using var duplicate = await harness.Api.SendAsync(register);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("invalid_credentials", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refreshRefused.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.All(server.Probe.Recorded, r => Assert.Null(r.Authorization));
        Assert.Equal(3, server.Probe.Recorded.Count);
        Assert.Equal(1, server.Probe.RefreshCount); // the test's own garbage refresh, and no other
        Assert.True(harness.Session.IsSignedIn);
        Assert.Equal(0, harness.ExpiredEvents);
    }

    [Fact]
    public async Task A_wrong_password_is_a_plain_401_value()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);

        var result = await harness.Session.LoginAsync(user, "not-the-password-1!");

        Assert.False(result.Succeeded);
        Assert.Equal(HttpStatusCode.Unauthorized, result.StatusCode);
        Assert.Equal("invalid_credentials", result.ErrorCode);
        Assert.False(harness.Session.IsSignedIn);
        Assert.Equal(0, server.Probe.RefreshCount);
        Assert.Equal(0, harness.ExpiredEvents);
    }

    [Fact]
    public async Task Requests_to_other_origins_never_carry_the_token()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        var stub = new StubHandler(r => r.RequestUri!.Host == "third-party.example" ? StubHandler.Status(HttpStatusCode.Unauthorized) : null);
        using var harness = SessionHarness.Create(server, apiInner: stub);
        await harness.LoginAsync(user);

        using var response = await harness.Api.GetAsync("http://third-party.example/data");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal([null], stub.Authorizations);
        Assert.Equal(0, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task Signed_out_requests_pass_through_untouched()
    {
        await using var server = RotorServer.Start();
        using var harness = SessionHarness.Create(server);

        var me = await harness.Api.GetFromJsonAsync<MeResponse>("users/me");

        Assert.Null(me!.User);
        Assert.Equal(0, server.Probe.RefreshCount);
    }

    internal static async Task<SessionHarness> SignedInWithBrokenAccessTokenAsync(RotorServer server, string user)
    {
        // Sign in for real, then hand a second session the same refresh token with an access token the server
        // refuses: the reactive path without waiting for a token to expire.
        using var first = SessionHarness.Create(server);
        await first.LoginAsync(user);
        var tokens = first.Session.State.Tokens!;
        var broken = new RotorTokens
        {
            AccessToken = tokens.AccessToken + "broken",
            RefreshToken = tokens.RefreshToken,
            ReceivedAt = tokens.ReceivedAt,
            ExpiresAt = tokens.ExpiresAt,
            SessionId = tokens.SessionId,
            User = tokens.User,
        };
        return SessionHarness.Create(server, o => o.TokenStore = new RotorMemoryTokenStore(broken), clockStart: tokens.ReceivedAt);
    }

    internal static async Task WaitUntilServerRejectsAsync(RotorServer server, string authorization)
    {
        using var client = server.CreatePlainClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "users/me");
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("The server kept accepting the access token.");
    }

    private sealed record MeResponse(RotorUser? User);

    /// <summary>A stream that can be read once, front to back, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

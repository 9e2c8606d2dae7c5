using System.Net;
using Microsoft.AspNetCore.Http;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests.Dpop;

/// <summary>
/// <see cref="RotorSessionOptions.UseDpop"/> against <see cref="DpopStubServer"/>, which checks every proof with
/// Microsoft.IdentityModel and can be made to ask for nonces on demand. The real host's DPoP is in DpopSessionTests.
/// </summary>
public sealed class DpopStubSessionTests
{
    [Fact]
    public async Task Login_refresh_and_api_calls_carry_proofs_by_the_one_key_the_session_is_bound_to()
    {
        await using var server = await DpopStubServer.StartAsync();
        using var h = Create(server);

        Assert.True((await h.Session.LoginAsync("alice", "pw")).Succeeded);
        Assert.Equal("DPoP", h.Session.State.Tokens!.TokenType);
        Assert.NotNull(h.Session.State.Tokens.DpopKey);
        Assert.Equal(HttpStatusCode.OK, (await h.Api.GetAsync("users/me")).StatusCode);

        h.ExpireAccessTokenOnClientClock();
        Assert.Equal(HttpStatusCode.OK, (await h.Api.GetAsync("users/me")).StatusCode);

        Assert.Empty(server.Failures);
        Assert.Equal("at-2", server.AccessToken);
        Assert.Equal(1, server.Count("/auth/refresh"));
        Assert.All(server.Received, r => Assert.NotEmpty(r.Dpop));
        Assert.All(server.Received.Where(r => r.Path == "/users/me"), r => Assert.StartsWith("DPoP ", r.Authorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_requires_nonces_gets_exactly_one_retry_per_call_and_the_latest_nonce_afterwards()
    {
        await using var server = await DpopStubServer.StartAsync();
        server.RequireNonce = true;
        using var h = Create(server);

        Assert.True((await h.Session.LoginAsync("alice", "pw")).Succeeded);
        Assert.Equal(2, server.Count("/auth/login"));
        Assert.Equal(HttpStatusCode.OK, (await h.Api.GetAsync("users/me")).StatusCode);
        Assert.Equal(1, server.Count("/users/me"));

        // The server moves to a new nonce: the API call and the refresh each learn it with one retry.
        server.RotateNonce();
        Assert.Equal(HttpStatusCode.OK, (await h.Api.GetAsync("users/me")).StatusCode);
        Assert.Equal(3, server.Count("/users/me"));
        server.RotateNonce();
        h.ExpireAccessTokenOnClientClock();
        Assert.Equal(HttpStatusCode.OK, (await h.Api.GetAsync("users/me")).StatusCode);
        Assert.Equal(2, server.Count("/auth/refresh"));
        Assert.Equal(4, server.Count("/users/me"));

        Assert.Empty(server.Failures);
    }

    [Fact]
    public async Task A_nonce_asked_for_again_after_the_retry_goes_back_to_the_caller_without_a_refresh()
    {
        await using var server = await DpopStubServer.StartAsync();
        using var h = Create(server);
        Assert.True((await h.Session.LoginAsync("alice", "pw")).Succeeded);
        server.AlwaysDemandNewNonce = true;

        using var response = await h.Api.GetAsync("users/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, server.Count("/users/me"));
        Assert.Equal(0, server.Count("/auth/refresh"));
        Assert.True(h.Session.IsSignedIn);
    }

    [Fact]
    public async Task A_refresh_still_asked_for_a_nonce_after_its_retry_fails_and_backs_off_without_ending_the_session()
    {
        await using var server = await DpopStubServer.StartAsync();
        using var h = Create(server);
        Assert.True((await h.Session.LoginAsync("alice", "pw")).Succeeded);
        h.ExpireAccessTokenOnClientClock();
        server.AlwaysDemandNewNonce = true;

        var failure = await Assert.ThrowsAsync<RotorRefreshFailedException>(() => h.Api.GetAsync("users/me"));

        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        Assert.Equal(2, server.Count("/auth/refresh"));
        Assert.True(h.Session.IsSignedIn);
        Assert.Equal(0, h.ExpiredEvents);

        server.AlwaysDemandNewNonce = false;
        h.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.OK, (await h.Api.GetAsync("users/me")).StatusCode);
        Assert.Equal(3, server.Count("/auth/refresh"));
        Assert.Empty(server.Failures);
    }

    [Fact]
    public async Task Concurrent_requests_that_need_a_refresh_share_one_and_each_send_their_own_proof()
    {
        await using var server = await DpopStubServer.StartAsync();
        using var h = Create(server);
        Assert.True((await h.Session.LoginAsync("alice", "pw")).Succeeded);
        h.ExpireAccessTokenOnClientClock();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => h.Api.GetAsync("users/me")));

        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, server.Count("/auth/refresh"));
        Assert.Empty(server.Failures);
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var ids = server.Received.Select(r => handler.ReadJsonWebToken(r.Dpop).GetPayloadValue<string>("jti")).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Proofs_and_tokens_go_to_the_servers_origin_and_trusted_origins_only()
    {
        await using var server = await DpopStubServer.StartAsync();
        await using var trusted = await LoopbackApp.StartAsync(c => c.Response.WriteAsync("ok"));
        await using var elsewhere = await LoopbackApp.StartAsync(c => c.Response.WriteAsync("ok"));
        using var h = Create(server, o => o.TrustedOrigins.Add(trusted.Address));
        Assert.True((await h.Session.LoginAsync("alice", "pw")).Succeeded);

        await h.Api.GetAsync(new Uri(elsewhere.Address, "users/me?x=1"));
        await h.Api.GetAsync(new Uri(trusted.Address, "orders/7?x=1#f"));

        var third = Assert.Single(elsewhere.Received);
        Assert.Equal("", third.Authorization);
        Assert.Equal("", third.Dpop);
        var api2 = Assert.Single(trusted.Received);
        Assert.Equal("DPoP " + server.AccessToken, api2.Authorization);
        var (_, thumbprint) = await DpopProofCheck.ValidAsync(api2.Dpop, HttpMethod.Get, new Uri(trusted.Address, "orders/7").AbsoluteUri, server.AccessToken, null);
        Assert.Equal(server.BoundThumbprint, thumbprint);
    }

    [Fact]
    public async Task With_UseDpop_off_nothing_changes_on_the_wire()
    {
        await using var server = await DpopStubServer.StartAsync();
        using var h = Create(server, o => o.UseDpop = false);

        Assert.True((await h.Session.LoginAsync("alice", "pw")).Succeeded);
        Assert.Equal(HttpStatusCode.OK, (await h.Api.GetAsync("users/me")).StatusCode);

        Assert.Equal("Bearer", h.Session.State.Tokens!.TokenType);
        Assert.Null(h.Session.State.Tokens.DpopKey);
        Assert.All(server.Received, r => Assert.Equal("", r.Dpop));
        Assert.Equal("Bearer " + server.AccessToken, server.Received.Last().Authorization);
    }

    [Fact]
    public async Task A_server_that_does_not_bind_the_session_gets_a_bearer_session_and_no_more_proofs()
    {
        await using var server = await DpopStubServer.StartAsync();
        server.Unbound = true;
        using var h = Create(server);

        Assert.True((await h.Session.LoginAsync("alice", "pw")).Succeeded);
        h.ExpireAccessTokenOnClientClock();
        Assert.Equal(HttpStatusCode.OK, (await h.Api.GetAsync("users/me")).StatusCode);

        Assert.Null(h.Session.State.Tokens!.DpopKey);
        Assert.Equal("Bearer", h.Session.State.Tokens.TokenType);
        Assert.All(server.Received.Where(r => r.Path != "/auth/login"), r => Assert.Equal("", r.Dpop));
    }

    [Fact]
    public async Task A_bound_session_restarts_from_the_file_store_with_its_key_and_an_unbound_file_still_loads()
    {
        await using var server = await DpopStubServer.StartAsync();
        var directory = Path.Combine(Path.GetTempPath(), "rotor-client-dpop-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string key;
            using (var store = RotorFileTokenStore.Create(directory))
            {
                using var first = Create(server, o => o.TokenStore = store);
                Assert.True((await first.Session.LoginAsync("alice", "pw")).Succeeded);
                key = first.Session.State.Tokens!.DpopKey!;
            }

            using (var reopened = RotorFileTokenStore.Create(directory))
            {
                var loaded = await reopened.LoadAsync(CancellationToken.None);
                Assert.Equal(key, loaded!.DpopKey);
                Assert.Equal("DPoP", loaded.TokenType);

                using (var second = Create(server, o => o.TokenStore = reopened))
                {
                    await second.Session.RestoreAsync();
                    second.ExpireAccessTokenOnClientClock();
                    Assert.Equal(HttpStatusCode.OK, (await second.Api.GetAsync("users/me")).StatusCode);
                    Assert.Equal(1, server.Count("/auth/refresh"));
                    Assert.Empty(server.Failures);
                    Assert.Equal(key, (await reopened.LoadAsync(CancellationToken.None))!.DpopKey);
                }

                // A session written without a key (as every version before DPoP wrote them) loads as a bearer session.
                await reopened.SaveAsync(new RotorTokens
                {
                    AccessToken = "at", RefreshToken = "rt", ReceivedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10),
                    SessionId = "s", User = new RotorUser("u", "alice", null),
                }, CancellationToken.None);
                var old = await reopened.LoadAsync(CancellationToken.None);
                Assert.Equal("Bearer", old!.TokenType);
                Assert.Null(old.DpopKey);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("DPoP", null)]
    [InlineData("DPoP", "{\"kty\":\"EC\"}")]
    [InlineData("Bearer", "not a key")]
    public async Task A_stored_bound_session_whose_key_is_missing_or_damaged_reads_as_signed_out(string tokenType, string? key)
    {
        var tokens = new RotorTokens
        {
            AccessToken = "at", RefreshToken = "rt", ReceivedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10),
            SessionId = "s", User = new RotorUser("u", "alice", null), TokenType = tokenType, DpopKey = key,
        };
        using var session = new RotorSession(new RotorSessionOptions { ServerAddress = new Uri("https://auth.example.com/"), TokenStore = new RotorMemoryTokenStore(tokens) });

        await session.RestoreAsync();

        Assert.False(session.IsSignedIn);
    }

    [Fact]
    public void UseDpop_needs_native_mode()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            new RotorSession(new RotorSessionOptions { ServerAddress = new Uri("https://auth.example.com/"), Mode = RotorSessionMode.Cookie, UseDpop = true }));
        Assert.Contains("UseDpop", error.Message, StringComparison.Ordinal);
    }

    private static SessionHarness Create(DpopStubServer server, Action<RotorSessionOptions>? configure = null) =>
        SessionHarness.Create(server.Address, o =>
        {
            o.UseDpop = true;
            configure?.Invoke(o);
        });
}

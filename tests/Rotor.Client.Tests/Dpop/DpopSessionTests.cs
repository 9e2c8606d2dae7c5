using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests.Dpop;

/// <summary>
/// <see cref="RotorSessionOptions.UseDpop"/> against the real host's DPoP (RFC 9449): bound sign-in, refresh and API
/// calls through the handler, the key through the file store, server nonces, origins, and off meaning bearer.
/// </summary>
/// <remarks>
/// The client's clock is a fake that the tests move past the access token's expiry to make the session refresh, while
/// the host runs on the real clock and checks each proof's <c>iat</c>. So these hosts issue one-minute access tokens and
/// accept proofs up to five minutes ahead (<c>Rotor:Dpop:ClockSkew</c>): moving the client 61 seconds on stays inside.
/// </remarks>
public sealed class DpopSessionTests
{
    private static readonly Dictionary<string, string?> ShortTokens = new()
    {
        ["Rotor:AccessTokenLifetime"] = "00:01:00",
        ["Rotor:Dpop:ClockSkew"] = "00:05:00",
    };

    [Fact]
    public async Task A_bound_session_signs_in_refreshes_and_calls_the_API_with_proofs_from_its_one_key()
    {
        await using var server = RotorServer.Start(ShortTokens);
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server, o => o.UseDpop = true);

        await harness.LoginAsync(user);
        var tokens = harness.Session.State.Tokens!;
        Assert.Equal("DPoP", tokens.TokenType);
        Assert.Equal(tokens.Signer!.Thumbprint, BoundThumbprint(tokens.AccessToken));
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);

        harness.ExpireAccessTokenOnClientClock();
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);

        Assert.Equal(1, server.Probe.RefreshCount);
        var renewed = harness.Session.State.Tokens!;
        Assert.NotEqual(tokens.AccessToken, renewed.AccessToken);
        Assert.Equal(tokens.Signer.Thumbprint, BoundThumbprint(renewed.AccessToken));
        var calls = server.Probe.AllRequests.Where(r => r.Path is "/auth/login" or "/auth/refresh" or "/users/me").ToList();
        Assert.Equal(4, calls.Count);
        foreach (var call in calls)
        {
            var token = call.Path == "/users/me" ? call.Authorization!["DPoP ".Length..] : null;
            var (_, thumbprint) = await DpopProofCheck.ValidAsync(call.Dpop, new HttpMethod(call.Method), new Uri(server.Address, call.Path.TrimStart('/')).AbsoluteUri, token, null);
            Assert.Equal(tokens.Signer.Thumbprint, thumbprint);
        }

        Assert.All(calls.Where(c => c.Path == "/users/me"), c => Assert.StartsWith("DPoP ", c.Authorization, StringComparison.Ordinal));
        Assert.Equal(0, harness.ExpiredEvents);
    }

    [Fact]
    public async Task Copied_tokens_are_useless_without_the_key_and_the_owners_session_goes_on()
    {
        await using var server = RotorServer.Start(ShortTokens);
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server, o => o.UseDpop = true);
        await harness.LoginAsync(user);
        var stolen = harness.Session.State.Tokens!;
        using var thief = server.CreatePlainClient();

        using (var asBearer = new HttpRequestMessage(HttpMethod.Get, "users/me"))
        {
            asBearer.Headers.TryAddWithoutValidation("Authorization", "Bearer " + stolen.AccessToken);
            Assert.Equal(HttpStatusCode.Unauthorized, (await thief.SendAsync(asBearer)).StatusCode);
        }

        using (var refresh = await thief.PostAsJsonAsync("auth/refresh", new { refreshToken = stolen.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
            Assert.Equal("invalid_dpop_proof", JsonDocument.Parse(await refresh.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        harness.ExpireAccessTokenOnClientClock();
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(0, harness.ExpiredEvents);
    }

    [Fact]
    public async Task The_key_survives_a_restart_through_the_file_store_and_the_restored_session_refreshes()
    {
        await using var server = RotorServer.Start(ShortTokens);
        var user = await server.RegisterUserAsync();
        var directory = Path.Combine(Path.GetTempPath(), "rotor-client-dpop-tests", Guid.NewGuid().ToString("N"));
        var start = DateTimeOffset.UtcNow;
        string thumbprint;
        try
        {
            using (var store = RotorFileTokenStore.Create(directory))
            using (var first = SessionHarness.Create(server, o => { o.UseDpop = true; o.TokenStore = store; }, clockStart: start))
            {
                await first.LoginAsync(user);
                thumbprint = first.Session.State.Tokens!.Signer!.Thumbprint;
            }

            using var reopened = RotorFileTokenStore.Create(directory);
            using var second = SessionHarness.Create(server, o => { o.UseDpop = true; o.TokenStore = reopened; }, clockStart: start);
            await second.Session.RestoreAsync();
            Assert.Equal(thumbprint, second.Session.State.Tokens!.Signer!.Thumbprint);
            Assert.Contains(user, await second.Api.GetStringAsync("users/me"), StringComparison.Ordinal);

            second.ExpireAccessTokenOnClientClock();
            Assert.Contains(user, await second.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
            Assert.Equal(1, server.Probe.RefreshCount);
            Assert.Equal(thumbprint, BoundThumbprint(second.Session.State.Tokens!.AccessToken));
            Assert.Equal(second.Session.State.Tokens.RefreshToken, (await reopened.LoadAsync(CancellationToken.None))!.RefreshToken);
            Assert.True(await second.Session.LogoutAsync());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_server_that_requires_nonces_is_answered_with_one_retry_per_call()
    {
        var settings = new Dictionary<string, string?>(ShortTokens) { ["Rotor:Dpop:RequireNonce"] = "true" };
        await using var server = RotorServer.Start(settings);
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server, o => o.UseDpop = true);

        await harness.LoginAsync(user);
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        harness.ExpireAccessTokenOnClientClock();
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        var again = await harness.Session.ReauthenticateAsync(RotorServer.Password);
        Assert.True(again.Succeeded, again.ErrorCode);
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);

        // The first proof had no nonce: one use_dpop_nonce, one retry. After that every answer carries the current
        // nonce, so no call needs a second try.
        int Count(string path) => server.Probe.AllRequests.Count(r => r.Path == path);
        Assert.Equal(2, Count("/auth/login"));
        Assert.Equal(1, Count("/auth/refresh"));
        Assert.Equal(3, Count("/users/me"));
        Assert.Equal(1, Count("/auth/reauthenticate"));
        Assert.True(await harness.Session.LogoutEverywhereAsync());
    }

    [Fact]
    public async Task The_second_step_of_a_two_step_sign_in_binds_a_new_key()
    {
        await using var server = RotorServer.Start(ShortTokens);
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server, o => o.UseDpop = true);
        await harness.LoginAsync(user);
        var firstKey = harness.Session.State.Tokens!.Signer!.Thumbprint;
        // Turned on through the bound session's own API client: POSTs with Authorization: DPoP and proofs.
        var mfa = await TwoStepSignInTests.EnrollAsync(harness.Api);
        Assert.True(await harness.Session.LogoutAsync());

        var password = await harness.Session.LoginAsync(user, RotorServer.Password);
        Assert.True(password.MfaRequired);
        var signedIn = await harness.Session.CompleteMfaAsync(password.MfaChallenge!, mfa.Authenticator.Next(), null);

        Assert.True(signedIn.Succeeded, signedIn.ErrorCode);
        var tokens = harness.Session.State.Tokens!;
        Assert.Equal("DPoP", tokens.TokenType);
        Assert.NotEqual(firstKey, tokens.Signer!.Thumbprint);
        Assert.Equal(tokens.Signer.Thumbprint, BoundThumbprint(tokens.AccessToken));
        harness.ExpireAccessTokenOnClientClock();
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(1, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task A_factory_client_with_AddRotorSession_and_UseDpop_is_bound_and_answers_nonces()
    {
        var settings = new Dictionary<string, string?>(ShortTokens) { ["Rotor:Dpop:RequireNonce"] = "true" };
        await using var server = RotorServer.Start(settings);
        var user = await server.RegisterUserAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddHttpClient("api", c => c.BaseAddress = server.Address)
                .AddRotorSession(o =>
                {
                    o.ServerAddress = server.Address;
                    o.UseDpop = true;
                });
        await using var provider = services.BuildServiceProvider();
        var session = provider.GetRequiredService<RotorSession>();
        var api = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        Assert.True((await session.LoginAsync(user, RotorServer.Password)).Succeeded);
        Assert.Equal("DPoP", session.State.Tokens!.TokenType);
        clock.SetUtcNow(session.State.Tokens.ExpiresAt + TimeSpan.FromSeconds(1));
        Assert.Contains(user, await api.GetStringAsync("users/me"), StringComparison.Ordinal);

        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.Equal(2, server.Probe.AllRequests.Count(r => r.Path == "/auth/login"));
        Assert.All(server.Probe.AllRequests.Where(r => r.Path != "/auth/register"), r => Assert.NotNull(r.Dpop));
    }

    [Fact]
    public async Task Neither_token_nor_proof_goes_to_an_origin_that_is_not_configured()
    {
        await using var server = RotorServer.Start();
        await using var elsewhere = await LoopbackApp.StartAsync(c => c.Response.WriteAsync("ok"));
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server, o => o.UseDpop = true);
        await harness.LoginAsync(user);

        await harness.Api.GetStringAsync(new Uri(elsewhere.Address, "users/me"));

        var request = Assert.Single(elsewhere.Received);
        Assert.Equal("", request.Authorization);
        Assert.Equal("", request.Dpop);
    }

    [Fact]
    public async Task With_UseDpop_off_the_session_is_a_bearer_session_as_before()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var harness = SessionHarness.Create(server);

        await harness.LoginAsync(user);
        harness.ExpireAccessTokenOnClientClock();
        Assert.Contains(user, await harness.Api.GetStringAsync("users/me"), StringComparison.Ordinal);

        var tokens = harness.Session.State.Tokens!;
        Assert.Equal("Bearer", tokens.TokenType);
        Assert.Null(tokens.DpopKey);
        Assert.Null(BoundThumbprint(tokens.AccessToken));
        Assert.All(server.Probe.AllRequests, r => Assert.Null(r.Dpop));
        Assert.StartsWith("Bearer ", server.Probe.AllRequests.Last(r => r.Path == "/users/me").Authorization, StringComparison.Ordinal);
    }

    /// <summary>The access token's <c>cnf.jkt</c>, or <c>null</c> when it is not bound.</summary>
    private static string? BoundThumbprint(string accessToken)
    {
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(accessToken.Split('.')[1])).RootElement;
        return payload.TryGetProperty("cnf", out var cnf) ? cnf.GetProperty("jkt").GetString() : null;
    }
}

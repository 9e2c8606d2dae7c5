using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests;

/// <summary><see cref="RotorSession.ReauthenticateAsync"/>: a recent sign-in proved again, and how it meets refreshes.</summary>
public sealed partial class TwoStepSignInTests
{
    [Fact]
    public async Task ReauthenticateAsync_replaces_the_access_token_and_keeps_the_refresh_token()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        var store = new RotorMemoryTokenStore();
        using var client = Client.Create(server, o => o.TokenStore = store);
        Assert.True((await client.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
        var mfa = await EnrollAsync(client.Api);
        var before = client.Session.State.Tokens!;
        client.Clock.Advance(TimeSpan.FromMinutes(2));
        var code = mfa.Authenticator.Next();

        var result = await client.Session.ReauthenticateAsync(RotorServer.Password, code);

        Assert.True(result.Succeeded, $"reauthentication refused: {result.ErrorCode} {result.Detail}");
        Assert.Equal(user, result.User!.Username);
        var call = client.Recorder.Single("/auth/reauthenticate");
        Assert.Equal("Bearer " + before.AccessToken, call.Authorization);
        Assert.Equal(Members(("password", RotorServer.Password), ("code", code)), Members(call.Body));
        var after = client.Session.State.Tokens!;
        Assert.NotEqual(before.AccessToken, after.AccessToken);
        Assert.True(AuthTime(after.AccessToken) >= AuthTime(before.AccessToken));
        Assert.Equal(before.RefreshToken, after.RefreshToken);
        Assert.Equal(before.SessionId, after.SessionId);
        // The server's lifetime (10 minutes, less the moment it took to answer) from the client's clock.
        Assert.InRange(after.ExpiresAt, client.Clock.GetUtcNow().AddMinutes(10).AddSeconds(-5), client.Clock.GetUtcNow().AddMinutes(10));
        var stored = (await store.LoadAsync(CancellationToken.None))!;
        Assert.Equal(after.AccessToken, stored.AccessToken);
        Assert.Equal(before.RefreshToken, stored.RefreshToken);
        // The next request carries the new token, which the server takes.
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Contains(server.Probe.AllRequests, r => r.Path == "/users/me" && r.Authorization == "Bearer " + after.AccessToken);
        Assert.Equal(0, server.Probe.RefreshCount);
        // The refresh token it kept still works: it was not rotated away.
        client.Clock.SetUtcNow(after.ExpiresAt + TimeSpan.FromSeconds(1));
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.True(client.Session.IsSignedIn);
    }

    [Fact]
    public async Task ReauthenticateAsync_refusals_leave_the_tokens_alone_and_mfa_required_has_no_challenge()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var client = Client.Create(server);
        Assert.True((await client.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
        var mfa = await EnrollAsync(client.Api);
        var before = client.Session.State;

        var wrongPassword = await client.Session.ReauthenticateAsync("not-the-password");
        var needsCode = await client.Session.ReauthenticateAsync(RotorServer.Password);
        var wrongCode = await client.Session.ReauthenticateAsync(RotorServer.Password, mfa.Authenticator.Wrong());

        Assert.Equal("invalid_credentials", wrongPassword.ErrorCode);
        Assert.Equal("The username or password is incorrect.", wrongPassword.Detail);
        Assert.False(wrongPassword.MfaRequired);
        Assert.True(needsCode.MfaRequired);
        Assert.Null(needsCode.MfaChallenge);
        Assert.Empty(needsCode.MfaMethods);
        // Without a code the session sends no code member at all.
        Assert.Equal(Members(("password", RotorServer.Password)), Members(client.Recorder.All("/auth/reauthenticate")[1].Body));
        Assert.Equal("mfa_code_invalid", wrongCode.ErrorCode);
        Assert.All([wrongPassword, needsCode, wrongCode], r =>
        {
            Assert.False(r.Succeeded);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        });
        Assert.Same(before, client.Session.State);
        Assert.Equal(0, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task ReauthenticateAsync_whose_access_token_is_refused_refreshes_once_and_asks_again()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        // Signed in and enrolled on one session; a second one gets the same refresh token with an access token the
        // server refuses (as RotorSessionHandlerTests.SignedInWithBrokenAccessTokenAsync does).
        Enrollment mfa;
        RotorTokens broken;
        using (var first = Client.Create(server))
        {
            Assert.True((await first.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
            mfa = await EnrollAsync(first.Api);
            var tokens = first.Session.State.Tokens!;
            broken = new RotorTokens
            {
                AccessToken = tokens.AccessToken + "broken",
                RefreshToken = tokens.RefreshToken,
                ReceivedAt = tokens.ReceivedAt,
                ExpiresAt = tokens.ExpiresAt,
                SessionId = tokens.SessionId,
                User = tokens.User,
            };
        }

        using var client = Client.Create(server, o => o.TokenStore = new RotorMemoryTokenStore(broken), broken.ReceivedAt);

        var result = await client.Session.ReauthenticateAsync(RotorServer.Password, mfa.Authenticator.Next());

        Assert.True(result.Succeeded, $"reauthentication refused: {result.ErrorCode} {result.Detail}");
        Assert.Equal(1, server.Probe.RefreshCount);
        var attempts = client.Recorder.All("/auth/reauthenticate");
        Assert.Equal(2, attempts.Length);
        Assert.Equal("Bearer " + broken.AccessToken, attempts[0].Authorization);
        Assert.NotEqual(attempts[0].Authorization, attempts[1].Authorization);
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        // The session keeps the reauthentication's access token, not the refresh's.
        Assert.NotEqual(attempts[1].Authorization, "Bearer " + client.Session.State.Tokens!.AccessToken);
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(1, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task ReauthenticateAsync_during_a_refresh_keeps_the_rotated_refresh_token()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        var store = new RotorMemoryTokenStore();
        using var client = Client.Create(server, o => o.TokenStore = store);
        Assert.True((await client.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
        var mfa = await EnrollAsync(client.Api);
        var original = client.Session.State.Tokens!;
        var reauthGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reauthAnswered = client.Recorder.HoldAnswer("/auth/reauthenticate", reauthGate.Task);

        // The server's answer to the reauthentication is on its way back when a request starts a refresh, which the
        // server holds.
        var reauth = client.Session.ReauthenticateAsync(RotorServer.Password, mfa.Authenticator.Next());
        var answer = await reauthAnswered.WaitAsync(TimeSpan.FromSeconds(30));
        var refreshGate = new TaskCompletionSource();
        server.Probe.RefreshGate = refreshGate.Task;
        var refreshArrived = server.Probe.RefreshArrived;
        client.Clock.SetUtcNow(original.ExpiresAt + TimeSpan.FromSeconds(1));
        var request = client.Api.GetStringAsync("users/me");
        await refreshArrived.WaitAsync(TimeSpan.FromSeconds(30));
        reauthGate.SetResult();
        await Task.Delay(200);
        Assert.False(reauth.IsCompleted);
        refreshGate.SetResult();
        Assert.Contains(user, await request.WaitAsync(TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
        var result = await reauth.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.Succeeded, $"reauthentication refused: {result.ErrorCode} {result.Detail}");

        var tokens = client.Session.State.Tokens!;
        Assert.Equal(JsonDocument.Parse(answer).RootElement.GetProperty("accessToken").GetString(), tokens.AccessToken);
        Assert.NotEqual(original.RefreshToken, tokens.RefreshToken);
        Assert.Equal(tokens.RefreshToken, (await store.LoadAsync(CancellationToken.None))!.RefreshToken);
        // The kept refresh token is the rotated one: the next refresh is not taken for reuse.
        server.Probe.RefreshGate = null;
        client.Clock.SetUtcNow(tokens.ExpiresAt + TimeSpan.FromSeconds(1));
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(2, server.Probe.RefreshCount);
        Assert.True(client.Session.IsSignedIn);
        Assert.Equal(0, client.ExpiredEvents);
    }

    [Fact]
    public async Task ReauthenticateAsync_without_a_session_says_to_sign_in()
    {
        using var session = new RotorSession(new RotorSessionOptions { ServerAddress = new Uri("http://127.0.0.1:1/") });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => session.ReauthenticateAsync("password"));

        Assert.Contains("LoginAsync", error.Message, StringComparison.Ordinal);
    }
}

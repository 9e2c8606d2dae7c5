using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests;

/// <summary>
/// Two-step sign-in (<see cref="RotorSession.CompleteMfaAsync"/>) and <see cref="RotorSession.ReauthenticateAsync"/>
/// against the real host, for users who turned two-step sign-in on through the server's own endpoints
/// (<c>/users/me/mfa/setup</c>, then <c>/enable</c> with the current code of the key it gave). Authenticator codes are
/// computed from that key on the real clock (<see cref="Totp"/>, which hands out up to four codes the server has not
/// seen, so no test waits for the next 30-second step); a second sign-in uses a recovery code where that is the point.
/// The session's own calls go through a <see cref="Recorder"/>, which passes everything to the host and only notes
/// what the session sent (and can hold an answer back, for timing).
/// </summary>
public sealed class TwoStepSignInTests
{
    [Fact]
    public async Task Login_answered_mfa_required_then_CompleteMfaAsync_with_a_code_signs_in_natively()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        var mfa = await EnrollElsewhereAsync(server, user);
        var store = new RotorMemoryTokenStore();
        using var client = Client.Create(server, o => o.TokenStore = store);

        var first = await client.Session.LoginAsync(user, RotorServer.Password);

        Assert.False(first.Succeeded);
        Assert.True(first.MfaRequired);
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal("mfa_required", first.ErrorCode);
        Assert.False(string.IsNullOrEmpty(first.MfaChallenge));
        Assert.Equal(["totp", "recovery_code"], first.MfaMethods);
        Assert.Null(first.User);
        Assert.False(client.Session.IsSignedIn);
        Assert.Null(await store.LoadAsync(CancellationToken.None));

        var code = mfa.Authenticator.Next();
        var second = await client.Session.CompleteMfaAsync(first.MfaChallenge!, code, null);

        Assert.True(second.Succeeded, $"second step refused: {second.ErrorCode} {second.Detail}");
        Assert.False(second.MfaRequired);
        Assert.Equal(user, second.User!.Username);
        Assert.True(client.Session.IsSignedIn);
        Assert.NotNull(client.Session.State.Tokens!.RefreshToken);
        Assert.Equal(client.Session.State.Tokens.RefreshToken, (await store.LoadAsync(CancellationToken.None))!.RefreshToken);
        Assert.Equal(Members(("challenge", first.MfaChallenge), ("code", code)), Members(client.Recorder.Single("/auth/login/mfa").Body));
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        // The tokens are real ones: they refresh like any other.
        client.Clock.SetUtcNow(client.Session.State.Tokens.ExpiresAt + TimeSpan.FromSeconds(1));
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(1, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task CompleteMfaAsync_in_cookie_mode_keeps_the_refresh_cookie_and_sends_a_recovery_code()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        var mfa = await EnrollElsewhereAsync(server, user);
        using var client = Client.Create(server, o => o.Mode = RotorSessionMode.Cookie);
        var recoveryCode = mfa.RecoveryCodes[0];

        var first = await client.Session.LoginAsync(user, RotorServer.Password);
        var second = await client.Session.CompleteMfaAsync(first.MfaChallenge!, null, recoveryCode);

        Assert.True(first.MfaRequired);
        Assert.DoesNotContain("mode", client.Recorder.Single("/auth/login").Body, StringComparison.Ordinal);
        Assert.True(second.Succeeded, $"second step refused: {second.ErrorCode} {second.Detail}");
        Assert.Equal(Members(("challenge", first.MfaChallenge), ("recoveryCode", recoveryCode)), Members(client.Recorder.Single("/auth/login/mfa").Body));
        Assert.Null(client.Session.State.Tokens!.RefreshToken);
        Assert.Contains(client.Session.Cookies.GetAllCookies(), c => c.Name.EndsWith("rotor_refresh", StringComparison.Ordinal) && !c.Expired);
        // The server spent the recovery code.
        var status = await client.Api.GetFromJsonAsync<JsonElement>("users/me/mfa");
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(mfa.RecoveryCodes.Count - 1, status.GetProperty("recoveryCodesLeft").GetInt32());
        client.Clock.SetUtcNow(client.Session.State.Tokens.ExpiresAt + TimeSpan.FromSeconds(1));
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(1, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task A_wrong_code_or_a_spent_challenge_is_a_refusal_that_leaves_the_current_session_alone()
    {
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var client = Client.Create(server);
        // Signed in already, and two-step sign-in turned on from this very session (which the server keeps): a
        // failed second step must not end it.
        Assert.True((await client.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
        var mfa = await EnrollAsync(client.Api);
        var before = client.Session.State.Tokens;
        // A challenge another device already finished.
        using var other = server.CreatePlainClient();
        var finished = await PasswordStepAsync(other, user);
        using (var done = await other.PostAsJsonAsync("auth/login/mfa", new { challenge = finished, recoveryCode = mfa.RecoveryCodes[0] }))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        var first = await client.Session.LoginAsync(user, RotorServer.Password);
        var wrong = await client.Session.CompleteMfaAsync(first.MfaChallenge!, mfa.Authenticator.Wrong(), null);
        var unknown = await client.Session.CompleteMfaAsync("garbage", mfa.Authenticator.Next(), null);
        var spent = await client.Session.CompleteMfaAsync(finished, mfa.Authenticator.Next(), null);

        Assert.True(first.MfaRequired);
        Assert.False(wrong.Succeeded);
        Assert.Equal("mfa_code_invalid", wrong.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.MfaRequired);
        Assert.Null(wrong.MfaChallenge);
        Assert.Equal("mfa_challenge_invalid", unknown.ErrorCode);
        Assert.Equal("mfa_challenge_invalid", spent.ErrorCode);
        Assert.All([unknown, spent], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Same(before, client.Session.State.Tokens);
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteMfaAsync_takes_exactly_one_of_code_and_recovery_code()
    {
        using var session = new RotorSession(new RotorSessionOptions { ServerAddress = new Uri("http://127.0.0.1:1/") });

        await Assert.ThrowsAsync<ArgumentException>(() => session.CompleteMfaAsync("challenge", null, null));
        await Assert.ThrowsAsync<ArgumentException>(() => session.CompleteMfaAsync("challenge", "123456", "abcd-efgh"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => session.CompleteMfaAsync("", "123456", null));
    }

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

    /// <summary>What turning two-step sign-in on gave the user: their authenticator and recovery codes.</summary>
    internal sealed record Enrollment(Totp Authenticator, IReadOnlyList<string> RecoveryCodes);

    /// <summary>
    /// Turns two-step sign-in on for whoever <paramref name="api"/> signs in as: <c>POST /users/me/mfa/setup</c>, then
    /// <c>POST /users/me/mfa/enable</c> with the key's current code. The calling session goes on; others end.
    /// </summary>
    internal static async Task<Enrollment> EnrollAsync(HttpClient api)
    {
        using var setup = await api.PostAsync("users/me/mfa/setup", null);
        Assert.True(setup.StatusCode == HttpStatusCode.OK, $"setup answered {(int)setup.StatusCode}: {await setup.Content.ReadAsStringAsync()}");
        var authenticator = new Totp((await setup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sharedKey").GetString()!);

        using var enable = await api.PostAsJsonAsync("users/me/mfa/enable", new { code = authenticator.Next() });
        Assert.True(enable.StatusCode == HttpStatusCode.OK, $"enable answered {(int)enable.StatusCode}: {await enable.Content.ReadAsStringAsync()}");
        var codes = (await enable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(10, codes.Length);
        return new Enrollment(authenticator, codes);
    }

    /// <summary>Signs <paramref name="user"/> in on another device (a plain native client) and turns two-step sign-in on there.</summary>
    private static async Task<Enrollment> EnrollElsewhereAsync(RotorServer server, string user)
    {
        using var device = server.CreatePlainClient();
        using (var login = await device.PostAsJsonAsync("auth/login", new { username = user, password = RotorServer.Password, mode = "native" }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            var accessToken = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
            device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await EnrollAsync(device);
    }

    /// <summary>The password step on a plain client, for a user with two-step sign-in: the challenge.</summary>
    private static async Task<string> PasswordStepAsync(HttpClient plain, string user)
    {
        using var response = await plain.PostAsJsonAsync("auth/login", new { username = user, password = RotorServer.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("mfa_required", problem.GetProperty("code").GetString());
        return problem.GetProperty("challenge").GetString()!;
    }

    /// <summary>The members of a JSON object sent by the session, as name/value text, so a body compares member by member.</summary>
    private static Dictionary<string, string?> Members(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText(), StringComparer.Ordinal);
    }

    private static Dictionary<string, string?> Members(params (string Name, string? Value)[] members) =>
        members.ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal);

    /// <summary>The <c>auth_time</c> claim of an access token.</summary>
    private static long AuthTime(string accessToken)
    {
        var payload = accessToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        return document.RootElement.GetProperty("auth_time").GetInt64();
    }

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

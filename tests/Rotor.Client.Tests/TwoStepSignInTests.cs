using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Rotor.Client.Tests.Infrastructure;

namespace Rotor.Client.Tests;

/// <summary>
/// Two-step sign-in (<see cref="RotorSession.CompleteMfaAsync"/>) and <see cref="RotorSession.ReauthenticateAsync"/>
/// against the issue-8 contract. The real host cannot answer <c>mfa_required</c>, <c>/auth/login/mfa</c> or
/// <c>/auth/reauthenticate</c> yet, so a <see cref="ContractStub"/> in the session's own handler answers just those as
/// the contract says; everything else (registration, the password check behind the second step, refresh, the API)
/// is the real host.
/// </summary>
public sealed class TwoStepSignInTests
{
    private const string Challenge = "challenge-opaque-1";

    [Fact]
    public async Task Login_answered_mfa_required_then_CompleteMfaAsync_with_a_code_signs_in_natively()
    {
        // TODO(lead): switch to the real host once /auth/login/mfa lands
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var stub = ContractStub.SecondFactorFor(server, user);
        var store = new RotorMemoryTokenStore();
        using var client = Client.Create(server, stub, o => o.TokenStore = store);

        var first = await client.Session.LoginAsync(user, RotorServer.Password);

        Assert.False(first.Succeeded);
        Assert.True(first.MfaRequired);
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal("mfa_required", first.ErrorCode);
        Assert.Equal(Challenge, first.MfaChallenge);
        Assert.Equal(["totp", "recovery_code"], first.MfaMethods);
        Assert.Null(first.User);
        Assert.False(client.Session.IsSignedIn);
        Assert.Null(await store.LoadAsync(CancellationToken.None));

        var second = await client.Session.CompleteMfaAsync(first.MfaChallenge!, "123456", null);

        Assert.True(second.Succeeded);
        Assert.False(second.MfaRequired);
        Assert.Equal(user, second.User!.Username);
        Assert.True(client.Session.IsSignedIn);
        Assert.NotNull(client.Session.State.Tokens!.RefreshToken);
        Assert.Equal(client.Session.State.Tokens.RefreshToken, (await store.LoadAsync(CancellationToken.None))!.RefreshToken);
        var step = stub.Requests.Single(r => r.Path == "/auth/login/mfa");
        Assert.Equal($$"""{"challenge":"{{Challenge}}","code":"123456"}""", step.Body);
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        // The tokens are real ones: they refresh like any other.
        client.Clock.SetUtcNow(client.Session.State.Tokens.ExpiresAt + TimeSpan.FromSeconds(1));
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(1, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task CompleteMfaAsync_in_cookie_mode_keeps_the_refresh_cookie_and_sends_a_recovery_code()
    {
        // TODO(lead): switch to the real host once /auth/login/mfa lands
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var stub = ContractStub.SecondFactorFor(server, user);
        using var client = Client.Create(server, stub, o => o.Mode = RotorSessionMode.Cookie);

        var first = await client.Session.LoginAsync(user, RotorServer.Password);
        var second = await client.Session.CompleteMfaAsync(first.MfaChallenge!, null, "abcd-efgh");

        Assert.True(first.MfaRequired);
        Assert.DoesNotContain("mode", stub.Requests.Single(r => r.Path == "/auth/login").Body, StringComparison.Ordinal);
        Assert.True(second.Succeeded);
        Assert.Equal($$"""{"challenge":"{{Challenge}}","recoveryCode":"abcd-efgh"}""", stub.Requests.Single(r => r.Path == "/auth/login/mfa").Body);
        Assert.Null(client.Session.State.Tokens!.RefreshToken);
        Assert.Contains(client.Session.Cookies.GetAllCookies(), c => c.Name.EndsWith("rotor_refresh", StringComparison.Ordinal) && !c.Expired);
        client.Clock.SetUtcNow(client.Session.State.Tokens.ExpiresAt + TimeSpan.FromSeconds(1));
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Equal(1, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task A_wrong_code_or_a_spent_challenge_is_a_refusal_that_leaves_the_current_session_alone()
    {
        // TODO(lead): switch to the real host once /auth/login/mfa lands
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var stub = ContractStub.SecondFactorFor(server, user);
        using var client = Client.Create(server, stub);
        // Signed in already (the stub lets the password step through once): a failed second step must not end it.
        stub.PasswordStepPassesThrough = true;
        Assert.True((await client.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
        var before = client.Session.State.Tokens;
        stub.PasswordStepPassesThrough = false;

        var first = await client.Session.LoginAsync(user, RotorServer.Password);
        var wrong = await client.Session.CompleteMfaAsync(first.MfaChallenge!, "000000", null);
        var spent = await client.Session.CompleteMfaAsync("garbage", "123456", null);

        Assert.False(wrong.Succeeded);
        Assert.Equal("mfa_code_invalid", wrong.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.MfaRequired);
        Assert.Null(wrong.MfaChallenge);
        Assert.Equal("mfa_challenge_invalid", spent.ErrorCode);
        Assert.Same(before, client.Session.State.Tokens);
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteMfaAsync_takes_exactly_one_of_code_and_recovery_code()
    {
        using var session = new RotorSession(new RotorSessionOptions { ServerAddress = new Uri("http://127.0.0.1:1/") });

        await Assert.ThrowsAsync<ArgumentException>(() => session.CompleteMfaAsync(Challenge, null, null));
        await Assert.ThrowsAsync<ArgumentException>(() => session.CompleteMfaAsync(Challenge, "123456", "abcd-efgh"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => session.CompleteMfaAsync("", "123456", null));
    }

    [Fact]
    public async Task ReauthenticateAsync_replaces_the_access_token_and_keeps_the_refresh_token()
    {
        // TODO(lead): switch to the real host once /auth/reauthenticate lands
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var stub = ContractStub.ReauthenticationFor(_ => Task.FromResult(ContractStub.Reauthenticated()));
        var store = new RotorMemoryTokenStore();
        using var client = Client.Create(server, stub, o => o.TokenStore = store);
        Assert.True((await client.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
        var before = client.Session.State.Tokens!;
        stub.SessionId = before.SessionId;
        client.Clock.Advance(TimeSpan.FromMinutes(2));

        var result = await client.Session.ReauthenticateAsync(RotorServer.Password, "123456");

        Assert.True(result.Succeeded);
        Assert.Equal(user, result.User!.Username);
        var call = stub.Requests.Single(r => r.Path == "/auth/reauthenticate");
        Assert.Equal("Bearer " + before.AccessToken, call.Authorization);
        Assert.Equal($$"""{"password":"{{RotorServer.Password}}","code":"123456"}""", call.Body);
        var after = client.Session.State.Tokens!;
        Assert.Equal(ContractStub.ReauthenticatedAccessToken, after.AccessToken);
        Assert.Equal(before.RefreshToken, after.RefreshToken);
        Assert.Equal(before.SessionId, after.SessionId);
        Assert.Equal(client.Clock.GetUtcNow().AddMinutes(10), after.ExpiresAt);
        var stored = (await store.LoadAsync(CancellationToken.None))!;
        Assert.Equal(ContractStub.ReauthenticatedAccessToken, stored.AccessToken);
        Assert.Equal(before.RefreshToken, stored.RefreshToken);
        // The next request carries the new token. (The real host cannot verify the stub's token, so it answers 401 and
        // the session renews it with the refresh token it kept, which still works: it was not rotated away.)
        Assert.Contains(user, await client.Api.GetStringAsync("users/me"), StringComparison.Ordinal);
        Assert.Contains(server.Probe.AllRequests, r => r.Path == "/users/me" && r.Authorization == "Bearer " + ContractStub.ReauthenticatedAccessToken);
        Assert.Equal(1, server.Probe.RefreshCount);
        Assert.True(client.Session.IsSignedIn);
    }

    [Fact]
    public async Task ReauthenticateAsync_refusals_leave_the_tokens_alone_and_mfa_required_has_no_challenge()
    {
        // TODO(lead): switch to the real host once /auth/reauthenticate lands
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        using var stub = ContractStub.ReauthenticationFor(async request =>
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync()).RootElement;
            if (body.GetProperty("password").GetString() != RotorServer.Password)
            {
                return ContractStub.Problem(HttpStatusCode.Unauthorized, """{"code":"invalid_credentials","detail":"Wrong password."}""");
            }

            return body.TryGetProperty("code", out _)
                ? ContractStub.Problem(HttpStatusCode.Unauthorized, """{"code":"mfa_code_invalid"}""")
                : ContractStub.Problem(HttpStatusCode.Unauthorized, """{"code":"mfa_required","detail":"Send the authenticator code too."}""");
        });
        using var client = Client.Create(server, stub);
        Assert.True((await client.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
        var before = client.Session.State;

        var wrongPassword = await client.Session.ReauthenticateAsync("not-the-password");
        var needsCode = await client.Session.ReauthenticateAsync(RotorServer.Password);
        var wrongCode = await client.Session.ReauthenticateAsync(RotorServer.Password, "000000");

        Assert.Equal("invalid_credentials", wrongPassword.ErrorCode);
        Assert.Equal("Wrong password.", wrongPassword.Detail);
        Assert.False(wrongPassword.MfaRequired);
        Assert.True(needsCode.MfaRequired);
        Assert.Null(needsCode.MfaChallenge);
        Assert.Empty(needsCode.MfaMethods);
        Assert.Equal("mfa_code_invalid", wrongCode.ErrorCode);
        Assert.All([wrongPassword, needsCode, wrongCode], r => Assert.False(r.Succeeded));
        Assert.Same(before, client.Session.State);
        Assert.Equal(0, server.Probe.RefreshCount);
    }

    [Fact]
    public async Task ReauthenticateAsync_whose_access_token_is_refused_refreshes_once_and_asks_again()
    {
        // TODO(lead): switch to the real host once /auth/reauthenticate lands
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        var calls = 0;
        using var stub = ContractStub.ReauthenticationFor(_ => Task.FromResult(Interlocked.Increment(ref calls) == 1
            ? ContractStub.Problem(HttpStatusCode.Unauthorized, """{"code":"invalid_token"}""")
            : ContractStub.Reauthenticated()));
        using var client = Client.Create(server, stub);
        Assert.True((await client.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
        stub.SessionId = client.Session.SessionId;

        var result = await client.Session.ReauthenticateAsync(RotorServer.Password);

        Assert.True(result.Succeeded);
        Assert.Equal(1, server.Probe.RefreshCount);
        var attempts = stub.Requests.Where(r => r.Path == "/auth/reauthenticate").ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.NotEqual(attempts[0].Authorization, attempts[1].Authorization);
        Assert.Equal(ContractStub.ReauthenticatedAccessToken, client.Session.State.Tokens!.AccessToken);
    }

    [Fact]
    public async Task ReauthenticateAsync_during_a_refresh_keeps_the_rotated_refresh_token()
    {
        // TODO(lead): switch to the real host once /auth/reauthenticate lands
        await using var server = RotorServer.Start();
        var user = await server.RegisterUserAsync();
        var reauthArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reauthGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stub = ContractStub.ReauthenticationFor(async _ =>
        {
            reauthArrived.SetResult();
            await reauthGate.Task;
            return ContractStub.Reauthenticated();
        });
        var store = new RotorMemoryTokenStore();
        using var client = Client.Create(server, stub, o => o.TokenStore = store);
        Assert.True((await client.Session.LoginAsync(user, RotorServer.Password)).Succeeded);
        var original = client.Session.State.Tokens!;
        stub.SessionId = original.SessionId;

        // The reauthentication is on its way when a request starts a refresh, which the server holds.
        var reauth = client.Session.ReauthenticateAsync(RotorServer.Password);
        await reauthArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
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
        Assert.True((await reauth.WaitAsync(TimeSpan.FromSeconds(30))).Succeeded);

        var tokens = client.Session.State.Tokens!;
        Assert.Equal(ContractStub.ReauthenticatedAccessToken, tokens.AccessToken);
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

    /// <summary>A session whose own calls go through a <see cref="ContractStub"/>, with a fake clock and an API client.</summary>
    private sealed class Client : IDisposable
    {
        private int _expired;

        private Client(RotorSession session, HttpClient api, FakeTimeProvider clock)
        {
            Session = session;
            Api = api;
            Clock = clock;
            session.SessionExpired += (_, _) => Interlocked.Increment(ref _expired);
        }

        public RotorSession Session { get; }

        public HttpClient Api { get; }

        public FakeTimeProvider Clock { get; }

        public int ExpiredEvents => Volatile.Read(ref _expired);

        public static Client Create(RotorServer server, ContractStub stub, Action<RotorSessionOptions>? configure = null)
        {
            var options = new RotorSessionOptions { ServerAddress = server.Address };
            configure?.Invoke(options);
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var session = new RotorSession(options, stub, clock);
            return new Client(session, new HttpClient(session.CreateHandler()) { BaseAddress = server.Address }, clock);
        }

        public void Dispose()
        {
            Api.Dispose();
            Session.Dispose();
        }
    }

    /// <summary>
    /// The session's own handler: answers the issue-8 endpoints the real host does not have yet as the contract says,
    /// and passes everything else to the real host. Records what the session sent.
    /// </summary>
    private sealed class ContractStub : DelegatingHandler
    {
        public const string ReauthenticatedAccessToken = "access-token-with-fresh-auth-time";

        private readonly Func<HttpRequestMessage, Task<HttpResponseMessage?>> _answer;

        private ContractStub(Func<HttpRequestMessage, Task<HttpResponseMessage?>> answer)
            : base(new SocketsHttpHandler { UseCookies = false }) => _answer = answer;

        public List<Sent> Requests { get; } = [];

        /// <summary>Lets a login through to the real host as it is, as for an account without two-step sign-in.</summary>
        public bool PasswordStepPassesThrough { get; set; }

        public string? SessionId { get; set; }

        /// <summary>
        /// <c>/auth/login</c> answers <c>mfa_required</c> (after the real host has checked the password); the second
        /// step takes code 123456 or a recovery code and answers with the real host's login answer, for the mode the
        /// first step asked for.
        /// </summary>
        public static ContractStub SecondFactorFor(RotorServer server, string user)
        {
            string? mode = null;
            ContractStub? self = null;
            self = new ContractStub(async request =>
            {
                var path = request.RequestUri!.AbsolutePath;
                if (path == "/auth/login" && !self!.PasswordStepPassesThrough)
                {
                    var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync()).RootElement;
                    mode = body.TryGetProperty("mode", out var m) ? m.GetString() : null;
                    Assert.Equal(RotorServer.Password, body.GetProperty("password").GetString());
                    return Problem(HttpStatusCode.Unauthorized, $$"""{"status":401,"code":"mfa_required","detail":"Enter the code from your authenticator app.","challenge":"{{Challenge}}","methods":["totp","recovery_code"]}""");
                }

                if (path == "/auth/login/mfa")
                {
                    var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync()).RootElement;
                    if (body.GetProperty("challenge").GetString() != Challenge)
                    {
                        return Problem(HttpStatusCode.Unauthorized, """{"code":"mfa_challenge_invalid","detail":"Start again."}""");
                    }

                    var code = body.TryGetProperty("code", out var c) ? c.GetString() : null;
                    if (code is not null && code != "123456")
                    {
                        return Problem(HttpStatusCode.Unauthorized, """{"code":"mfa_code_invalid","detail":"Wrong code."}""");
                    }

                    // The contract's answer to a right second step is the normal login answer: take the real host's.
                    using var login = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, "auth/login"))
                    {
                        Content = JsonContent.Create(new { username = user, password = RotorServer.Password, mode }),
                    };
                    return await self!.SendToHostAsync(login, CancellationToken.None);
                }

                return null;
            });
            return self;
        }

        /// <summary><c>/auth/reauthenticate</c> is answered by <paramref name="answer"/>; the rest goes to the real host.</summary>
        public static ContractStub ReauthenticationFor(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) =>
            new(async request => request.RequestUri!.AbsolutePath == "/auth/reauthenticate" ? await answer(request) : null);

        /// <summary>The contract's 200 to <c>/auth/reauthenticate</c>, for the session in <see cref="SessionId"/> (set on the stub).</summary>
        public static HttpResponseMessage Reauthenticated() => new(HttpStatusCode.OK);

        public static HttpResponseMessage Problem(HttpStatusCode status, string json) => new(status)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/problem+json"),
        };

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Requests)
            {
                Requests.Add(new Sent(request.RequestUri!.AbsolutePath, request.Headers.TryGetValues("Authorization", out var a) ? a.Single() : null, body));
            }

            var answer = await _answer(request);
            if (answer is null)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            if (answer.StatusCode == HttpStatusCode.OK && answer.Content.Headers.ContentLength is 0 or null && request.RequestUri.AbsolutePath == "/auth/reauthenticate")
            {
                answer.Content = JsonContent.Create(new
                {
                    accessToken = ReauthenticatedAccessToken,
                    tokenType = "Bearer",
                    expiresIn = 600,
                    expiresAt = DateTimeOffset.UtcNow.AddMinutes(10),
                    sessionId = SessionId,
                    user = await ReadUserAsync(request, cancellationToken),
                });
            }

            answer.RequestMessage ??= request;
            return answer;
        }

        private Task<HttpResponseMessage> SendToHostAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

        /// <summary>The user behind the bearer token, from the real host (as the real endpoint would answer).</summary>
        private async Task<JsonElement> ReadUserAsync(HttpRequestMessage reauth, CancellationToken cancellationToken)
        {
            using var me = new HttpRequestMessage(HttpMethod.Get, new Uri(reauth.RequestUri!, "/users/me"));
            me.Headers.TryAddWithoutValidation("Authorization", reauth.Headers.GetValues("Authorization").Single());
            using var response = await base.SendAsync(me, cancellationToken);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("user").Clone();
        }
    }

    private sealed record Sent(string Path, string? Authorization, string Body);
}

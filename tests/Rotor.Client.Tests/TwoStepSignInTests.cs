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
public sealed partial class TwoStepSignInTests
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
}

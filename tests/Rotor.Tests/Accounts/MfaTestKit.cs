using System.Net;
using System.Text.Json.Nodes;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>The two-step sign-in calls, spelled out once for the MFA and re-authentication tests.</summary>
public static class MfaTestKit
{
    /// <summary>A signed-in user who turned two-step sign-in on: their session, authenticator and recovery codes.</summary>
    public sealed record MfaUser(NativeSession Session, Totp Authenticator, string[] RecoveryCodes, string SharedKey);

    /// <summary>Registers a user, signs in natively, sets up and enables two-step sign-in.</summary>
    public static async Task<MfaUser> NewMfaUserAsync(this RotorClient client)
    {
        var session = await client.NewNativeSessionAsync();
        using var setup = await client.SendAsync(HttpMethod.Post, "/users/me/mfa/setup", session.AccessToken);
        var key = await LifecycleHost.AssertOkJsonAsync(setup);
        var sharedKey = (string)key["sharedKey"]!;
        var totp = new Totp(sharedKey);

        using var enable = await client.SendAsync(HttpMethod.Post, "/users/me/mfa/enable", session.AccessToken, new { code = totp.Next() });
        var codes = (await LifecycleHost.AssertOkJsonAsync(enable))["recoveryCodes"]!.AsArray().Select(c => (string)c!).ToArray();
        return new MfaUser(session, totp, codes, sharedKey);
    }

    /// <summary>The password step for a user with two-step sign-in: asserts <c>mfa_required</c>, returns the challenge.</summary>
    public static async Task<string> PasswordStepAsync(this RotorClient client, string username, string? mode = null)
    {
        using var response = await client.LoginAsync(username, mode: mode);
        var problem = await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "mfa_required");
        Assert.Null(RotorClient.SetCookie(response));
        Assert.Null(problem["accessToken"]);
        Assert.Equal(["totp", "recovery_code"], problem["methods"]!.AsArray().Select(m => (string)m!));
        var challenge = (string?)problem["challenge"];
        Assert.False(string.IsNullOrEmpty(challenge));
        return challenge!;
    }

    public static Task<HttpResponseMessage> SecondStepAsync(this RotorClient client, string? challenge, string? code = null, string? recoveryCode = null) =>
        client.SendAsync(HttpMethod.Post, "/auth/login/mfa", null, new { challenge, code, recoveryCode });

    /// <summary>Signs in with both steps natively; returns the new session.</summary>
    public static async Task<NativeSession> MfaLoginAsync(this RotorClient client, MfaUser user)
    {
        var challenge = await client.PasswordStepAsync(user.Session.Username, "native");
        using var response = await client.SecondStepAsync(challenge, code: user.Authenticator.Next());
        return NativeSession.From(await LifecycleHost.AssertOkJsonAsync(response), user.Session.Username);
    }

    public static async Task<JsonObject> MfaStatusAsync(this RotorClient client, string accessToken)
    {
        using var response = await client.SendAsync(HttpMethod.Get, "/users/me/mfa", accessToken);
        return await LifecycleHost.AssertOkJsonAsync(response);
    }
}

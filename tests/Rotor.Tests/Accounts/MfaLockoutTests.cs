using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>Wrong second-step codes count toward Identity's lockout (default: 5 failures), and the password step does not wipe them.</summary>
public sealed class MfaLockoutTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public MfaLockoutTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Wrong_codes_across_challenges_lock_the_account()
    {
        var user = await _client.NewMfaUserAsync();
        var first = await _client.PasswordStepAsync(user.Session.Username, "native");
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await _client.SecondStepAsync(first, code: user.Authenticator.Wrong());
            await RotorClient.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "mfa_code_invalid");
        }

        // A right password again must not reset the count the wrong codes built up.
        var second = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var fourth = await _client.SecondStepAsync(second, recoveryCode: "WRONG-CODES");
        await RotorClient.AssertProblemAsync(fourth, HttpStatusCode.Unauthorized, "mfa_code_invalid");
        using var fifth = await _client.SecondStepAsync(second, code: user.Authenticator.Wrong());

        await RotorClient.AssertProblemAsync(fifth, HttpStatusCode.Locked, "locked_out");
        Assert.NotNull(fifth.Headers.RetryAfter);
        using var right = await _client.SecondStepAsync(second, code: user.Authenticator.Next());
        await RotorClient.AssertProblemAsync(right, HttpStatusCode.Locked, "locked_out");
        using var login = await _client.LoginAsync(user.Session.Username, mode: "native");
        await RotorClient.AssertProblemAsync(login, HttpStatusCode.Locked, "locked_out");
    }

    [Fact]
    public async Task A_finished_second_step_resets_the_failure_count()
    {
        var user = await _client.NewMfaUserAsync();
        var first = await _client.PasswordStepAsync(user.Session.Username, "native");
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await _client.SecondStepAsync(first, code: user.Authenticator.Wrong());
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var ok = await _client.SecondStepAsync(first, code: user.Authenticator.Next());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var second = await _client.PasswordStepAsync(user.Session.Username, "native");
        using var wrongAgain = await _client.SecondStepAsync(second, code: user.Authenticator.Wrong());
        await RotorClient.AssertProblemAsync(wrongAgain, HttpStatusCode.Unauthorized, "mfa_code_invalid");
    }
}

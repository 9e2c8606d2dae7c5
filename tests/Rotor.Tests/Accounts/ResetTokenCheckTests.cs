using System.Net;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>
/// <c>POST /auth/reset-password/check</c>: the reset page asks whether its link still works when it opens. It answers
/// exactly what the reset would answer for the link, never spends it, and is rate-limited per address.
/// </summary>
public sealed class ResetTokenCheckTests : IDisposable
{
    private const string NewPassword = "a brand new passphrase";

    private readonly RotorApp _app = LifecycleHost.Create(new Dictionary<string, string?>
    {
        ["Rotor:RateLimits:ResetPasswordCheck:PerAddress"] = "20",
    });

    private readonly RotorClient _client;
    private readonly PickupMailbox _mail;

    public ResetTokenCheckTests()
    {
        _client = _app.Client();
        _mail = LifecycleHost.Mailbox(_app);
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private Task<string> RequestTokenAsync(string email, int skip = 0) => _client.RequestResetTokenAsync(_mail, email, skip);

    private Task<HttpResponseMessage> CheckAsync(string? token, string? address = null) =>
        _client.PostAsync("/auth/reset-password/check", new { token }, address);

    [Fact]
    public async Task A_working_link_is_204_no_store_and_is_not_spent_by_checking()
    {
        var (username, email, _) = await _client.NewUserAsync();
        var token = await RequestTokenAsync(email);

        for (var i = 0; i < 2; i++)
        {
            using var check = await CheckAsync(token);
            Assert.Equal(HttpStatusCode.NoContent, check.StatusCode);
            Assert.Empty(await check.Content.ReadAsStringAsync());
            Assert.Contains("no-store", check.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
            Assert.Null(RotorClient.SetCookie(check));
        }

        // Nothing changed: the old password still signs in, and the link still resets.
        using (var login = await _client.LoginAsync(username))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using var reset = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
    }

    [Fact]
    public async Task Used_replaced_and_expired_links_answer_the_resets_own_codes()
    {
        var (_, usedEmail, _) = await _client.NewUserAsync();
        var used = await RequestTokenAsync(usedEmail);
        using (var first = await _client.PostAsync("/auth/reset-password", new { token = used, newPassword = NewPassword }))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        var (_, replacedEmail, _) = await _client.NewUserAsync();
        var older = await RequestTokenAsync(replacedEmail);
        var newer = await RequestTokenAsync(replacedEmail, skip: 1);

        await AssertSameAsResetAsync(used, "reset_token_used");
        await AssertSameAsResetAsync(older, "reset_token_used");
        using (var fresh = await CheckAsync(newer))
        {
            Assert.Equal(HttpStatusCode.NoContent, fresh.StatusCode);
        }

        _app.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await AssertSameAsResetAsync(newer, "reset_token_expired");
    }

    [Fact]
    public async Task Missing_malformed_and_forged_tokens_are_400_reset_token_invalid_never_a_500()
    {
        var (_, email, _) = await _client.NewUserAsync();
        var real = await RequestTokenAsync(email);
        var dot = real.IndexOf('.', StringComparison.Ordinal);
        var (id, secret) = (real[..dot], real[(dot + 1)..]);
        var flipped = secret[..^2] + (secret[^2] == 'A' ? 'B' : 'A') + secret[^1];

        string?[] attempts =
        [
            null,
            "",
            "not-a-token",
            id,
            id + ".",
            "." + secret,
            id + "." + flipped,
            new string('a', 32) + "." + secret,
            id + "." + secret + "." + secret,
            id + "." + secret[..20] + "é" + secret[21..],
            new string('A', 10_000),
        ];

        foreach (var token in attempts)
        {
            using var check = await CheckAsync(token);
            await RotorClient.AssertProblemAsync(check, HttpStatusCode.BadRequest, "reset_token_invalid");
        }

        using (var notJson = await _client.Http.PostAsync("/auth/reset-password/check", new StringContent("{\"token\":", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        }

        // The real link survived all of it.
        using var works = await CheckAsync(real);
        Assert.Equal(HttpStatusCode.NoContent, works.StatusCode);
    }

    [Fact]
    public async Task Checking_is_rate_limited_per_address()
    {
        const string Address = "203.0.113.77";
        for (var i = 0; i < 20; i++)
        {
            using var allowed = await CheckAsync("guess-" + i, Address);
            await RotorClient.AssertProblemAsync(allowed, HttpStatusCode.BadRequest, "reset_token_invalid");
        }

        using var refused = await CheckAsync("guess-21", Address);
        await RotorClient.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(refused.Headers.RetryAfter);

        // Another address is counted on its own.
        using var other = await CheckAsync("guess-22", "203.0.113.78");
        await RotorClient.AssertProblemAsync(other, HttpStatusCode.BadRequest, "reset_token_invalid");
    }

    private async Task AssertSameAsResetAsync(string token, string code)
    {
        using var check = await CheckAsync(token);
        var checkBody = await RotorClient.AssertProblemAsync(check, HttpStatusCode.BadRequest, code);
        using var reset = await _client.PostAsync("/auth/reset-password", new { token, newPassword = NewPassword });
        var resetBody = await RotorClient.AssertProblemAsync(reset, HttpStatusCode.BadRequest, code);
        Assert.Equal((string?)resetBody["title"], (string?)checkBody["title"]);
        Assert.Equal((string?)resetBody["detail"], (string?)checkBody["detail"]);
    }
}

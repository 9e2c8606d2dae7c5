using System.Net;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>A reset token that is not the id-dot-secret shape the server mails is refused as invalid, never a 500.</summary>
public sealed class ResetTokenFormatTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create();
    private readonly RotorClient _client;

    public ResetTokenFormatTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Malformed_reset_tokens_are_400_reset_token_invalid_and_spend_nothing()
    {
        var (_, email, _) = await _client.NewUserAsync();
        using (var forgot = await _client.PostAsync("/auth/forgot-password", new { email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }

        var real = MailContent.ResetToken(await LifecycleHost.Mailbox(_app).WaitForAsync(email));
        var dot = real.IndexOf('.', StringComparison.Ordinal);
        var (id, secret) = (real[..dot], real[(dot + 1)..]);
        // 32 bytes are 43 characters with two unused low bits in the last one.
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var lastBitsSet = secret[..^1] + alphabet[alphabet.IndexOf(secret[^1], StringComparison.Ordinal) | 1];

        string[] attempts =
        [
            new string('!', 76),
            id + "." + new string('!', 43),
            id + "." + secret[..42] + "=",
            id + "." + secret + "=",
            id + "." + secret[..20] + "+" + secret[21..],
            id + "." + secret[..20] + "/" + secret[21..],
            id + "." + secret[..20] + " " + secret[21..],
            id + "." + secret[..20] + "é" + secret[21..],
            id + "." + secret[..41] + "\U0001F600",
            id + "." + lastBitsSet,
            "{" + id + "}." + secret,
            id + ".." + secret[1..],
            id + "." + secret + "." + secret,
            new string('a', 32) + "." + secret,
            new string('A', 10_000),
        ];

        foreach (var token in attempts)
        {
            using var reset = await _client.PostAsync("/auth/reset-password", new { token, newPassword = "a brand new passphrase" });
            await RotorClient.AssertProblemAsync(reset, HttpStatusCode.BadRequest, "reset_token_invalid");
        }

        using var works = await _client.PostAsync("/auth/reset-password", new { token = real, newPassword = "a brand new passphrase" });
        Assert.Equal(HttpStatusCode.NoContent, works.StatusCode);
    }
}

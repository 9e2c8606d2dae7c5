using System.Buffers.Text;
using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Tokens;

/// <summary>
/// The refresh-token key rotates too: a token names its key in its first byte, and a key verifies until every session
/// that could hold one of its tokens has ended (the session lifetime after it stopped issuing). Periods here: sessions
/// 1 day, refresh keys 1 hour, announce 10 minutes.
/// </summary>
public sealed class RefreshKeyRotationTests : IDisposable
{
    private readonly RotorApp _app;
    private readonly RotorClient _client;

    public RefreshKeyRotationTests()
    {
        _app = new RotorApp(KeyTestKit.Fleet(more: new Dictionary<string, string?>
        {
            ["Rotor:SessionLifetime"] = "1.00:00:00",
            ["Rotor:RefreshTokenLifetime"] = "1.00:00:00",
            ["Rotor:Keys:RefreshKeyLifetime"] = "01:00:00",
        }));
        _client = _app.Client();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private static byte KeyId(string refreshToken) => Base64Url.DecodeFromChars(refreshToken)[0];

    private async Task AdvanceAsync(TimeSpan by)
    {
        _app.Time.Advance(by);
        await KeyTestKit.MaintainAsync(_app);
    }

    [Fact]
    public async Task A_token_under_the_previous_key_still_refreshes_after_the_rotation_and_gets_one_under_the_new_key()
    {
        var early = await _client.NewNativeSessionAsync();
        Assert.Equal(1, KeyId(early.RefreshToken));

        await AdvanceAsync(TimeSpan.FromMinutes(50)); // the next key is announced for minute 60
        var late = await _client.NewNativeSessionAsync();
        Assert.Equal(1, KeyId(late.RefreshToken));
        await AdvanceAsync(TimeSpan.FromMinutes(11));

        var fresh = await _client.NewNativeSessionAsync();
        Assert.Equal(2, KeyId(fresh.RefreshToken));

        using var refreshed = await _client.RefreshNativeAsync(early.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var next = (string)(await RotorClient.ReadJsonAsync(refreshed))["refreshToken"]!;
        Assert.Equal(2, KeyId(next));

        // Just before the old key retires (minute 60 + 1 day), a session begun under it at minute 50 still refreshes.
        await AdvanceAsync(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(13));
        using var lastDay = await _client.RefreshNativeAsync(late.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, lastDay.StatusCode);
    }

    [Fact]
    public async Task A_token_under_a_retired_key_is_refused_as_invalid_never_a_500()
    {
        var held = await _client.NewNativeSessionAsync();
        await AdvanceAsync(TimeSpan.FromMinutes(50));
        await AdvanceAsync(TimeSpan.FromMinutes(11));

        // Every session that could hold a token of the first key has ended a day after it stopped issuing.
        await AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal(["1", "2"], await Database.QueryStringsAsync(_app, "SELECT Generation FROM rotor_keys WHERE Kind = 'refresh' ORDER BY Generation"));

        using var response = await _client.RefreshNativeAsync(held.RefreshToken);
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_invalid");
    }

    [Fact]
    public async Task A_token_naming_a_key_that_does_not_exist_is_refused_as_invalid()
    {
        var session = await _client.NewNativeSessionAsync();
        var bytes = Base64Url.DecodeFromChars(session.RefreshToken);
        foreach (var id in new byte[] { 0, 2, 200, 255 })
        {
            bytes[0] = id;
            using var response = await _client.RefreshNativeAsync(Base64Url.EncodeToString(bytes));
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "refresh_token_invalid");
        }
    }
}

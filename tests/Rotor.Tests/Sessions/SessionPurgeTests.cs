using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Sessions;

public sealed class SessionPurgeTests : IDisposable
{
    private readonly RotorApp _app = new(new Dictionary<string, string?>
    {
        ["Rotor:RefreshTokenLifetime"] = "01:00:00",
        ["Rotor:SessionLifetime"] = "02:00:00",
        ["Rotor:RevokedSessionRetention"] = "1.00:00:00",
        ["Rotor:PurgeInterval"] = "00:10:00",
    });

    private readonly RotorClient _client;

    public SessionPurgeTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Ended_sessions_are_purged_after_the_retention_and_live_ones_are_kept()
    {
        var idle = await _client.NewNativeSessionAsync();
        var revoked = await _client.NewNativeSessionAsync();
        using var logout = await _client.SendAsync(HttpMethod.Post, "/auth/logout", null, new { refreshToken = revoked.RefreshToken });

        // A day and more later both ended long enough ago to go; a session started now stays.
        _app.Time.Advance(TimeSpan.FromHours(26));
        var live = await _client.NativeLoginAsync(idle.Username);
        _app.Time.Advance(TimeSpan.FromMinutes(10));
        using var rotated = await _client.RefreshNativeAsync(live.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var token = (string)(await RotorClient.ReadJsonAsync(rotated))["refreshToken"]!;

        await WaitForAsync(async () => await Database.CountAsync(_app, $"SELECT COUNT(*) FROM rotor_sessions WHERE Id IN ('{Upper(idle.SessionId)}', '{Upper(revoked.SessionId)}')") == 0);

        Assert.Equal(1, await Database.CountAsync(_app, $"SELECT COUNT(*) FROM rotor_sessions WHERE Id = '{Upper(live.SessionId)}'"));
        using var stillWorks = await _client.RefreshNativeAsync(token);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    private static string Upper(Guid id) => id.ToString().ToUpperInvariant();

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The ended sessions were not purged within 5 seconds of the purge interval passing.");
    }
}

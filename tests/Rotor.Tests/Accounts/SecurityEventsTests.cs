using System.Net;
using System.Text.Json.Nodes;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class SecurityEventsTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create(new Dictionary<string, string?> { ["Rotor:RotationGracePeriod"] = "00:00:01" });
    private readonly RotorClient _client;

    public SecurityEventsTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task<JsonObject> EventsAsync(string accessToken, string query = "")
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/auth/events" + query, accessToken);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return await LifecycleHost.AssertOkJsonAsync(response);
    }

    [Fact]
    public async Task The_log_lists_the_callers_events_newest_first_with_device_and_address()
    {
        var victim = await _client.NewNativeSessionAsync();
        (await _client.PostAsync("/auth/login", new { username = victim.Username, password = "wrong password" }, address: "203.0.113.9")).Dispose();
        var stolen = await _client.NativeLoginAsync(victim.Username);
        _app.Time.Advance(TimeSpan.FromSeconds(2));
        using (var rotate = await _client.RefreshNativeAsync(stolen.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        }

        _app.Time.Advance(TimeSpan.FromSeconds(5));
        (await _client.RefreshNativeAsync(stolen.RefreshToken)).Dispose(); // reuse
        (await _client.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = "a brand new passphrase" }, accessToken: victim.AccessToken)).Dispose();
        var someoneElse = await _client.NewNativeSessionAsync();

        var body = await EventsAsync(victim.AccessToken);

        var items = body["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        var types = items.Select(i => (string)i["type"]!).ToList();
        Assert.Equal(["password_changed", "session_revoked", "refresh_token_reused", "login_succeeded", "login_failed", "login_succeeded"], types);
        var ids = items.Select(i => (long)i["id"]!).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        var failed = items.Single(i => (string)i["type"]! == "login_failed");
        Assert.Equal("203.0.113.9", (string?)failed["ipAddress"]);
        Assert.True(failed.ContainsKey("userAgent"));
        Assert.True(failed.ContainsKey("sessionId"));
        Assert.NotNull((string?)items[^1]["occurredAt"]);
        Assert.Equal(victim.SessionId.ToString(), (string?)items[^1]["sessionId"]);
        Assert.Null(body["next"]);
        Assert.False((bool)body["hasMore"]!);

        var other = await EventsAsync(someoneElse.AccessToken);
        Assert.Single(other["items"]!.AsArray());
    }

    [Fact]
    public async Task The_log_pages_by_cursor_and_by_page_number()
    {
        var session = await _client.NewNativeSessionAsync();
        for (var i = 0; i < 6; i++)
        {
            (await _client.LoginAsync(session.Username, mode: "native")).Dispose();
        }

        // Seven sign-ins in all.
        var first = await EventsAsync(session.AccessToken, "?limit=3");
        Assert.Equal(3, first["items"]!.AsArray().Count);
        Assert.True((bool)first["hasMore"]!);
        var next = (long)first["next"]!;
        Assert.Equal((long)first["items"]![2]!["id"]!, next);

        var second = await EventsAsync(session.AccessToken, $"?limit=3&before={next}");
        var third = await EventsAsync(session.AccessToken, $"?limit=3&before={(long)second["next"]!}");
        Assert.Single(third["items"]!.AsArray());
        Assert.Null(third["next"]);
        var all = new[] { first, second, third }.SelectMany(p => p["items"]!.AsArray().Select(i => (long)i!["id"]!)).ToList();
        Assert.Equal(7, all.Distinct().Count());

        var pageTwo = await EventsAsync(session.AccessToken, "?page=2&pageSize=3");
        Assert.Equal(second["items"]!.ToJsonString(), pageTwo["items"]!.ToJsonString());
    }

    [Fact]
    public async Task Bad_paging_values_are_validation_errors_and_a_token_is_required()
    {
        var session = await _client.NewNativeSessionAsync();

        foreach (var query in (string[])["?limit=0", "?limit=101", "?limit=abc", "?before=-1", "?page=0"])
        {
            using var response = await _client.SendAsync(HttpMethod.Get, "/auth/events" + query, session.AccessToken);
            await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        }

        using var anonymous = await _client.SendAsync(HttpMethod.Get, "/auth/events", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var hundred = await EventsAsync(session.AccessToken, "?limit=100");
        Assert.Single(hundred["items"]!.AsArray());
    }
}

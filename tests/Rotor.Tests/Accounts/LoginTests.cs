using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class LoginTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public LoginTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Browser_login_sets_the_refresh_token_only_in_an_HttpOnly_cookie()
    {
        var user = await _client.RegisterAsync();

        using var response = await _client.LoginAsync((string)user["username"]!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await RotorClient.ReadJsonAsync(response);
        Assert.Null(body["refreshToken"]);
        Assert.Equal("Bearer", (string)body["tokenType"]!);
        Assert.Equal(900, (int)body["expiresIn"]!);
        Assert.True(DateTimeOffset.TryParse((string)body["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal((string)user["id"]!, (string)body["user"]!["id"]!);

        var cookie = RotorClient.SetCookie(response);
        Assert.NotNull(cookie);
        Assert.True(cookie.Has("httponly"));
        Assert.True(cookie.Has("secure"));
        Assert.Equal("strict", cookie.Attributes["samesite"], ignoreCase: true);
        Assert.Equal("/", cookie.Attributes["path"]);
        Assert.False(cookie.Has("domain"));
        var maxAge = int.Parse(cookie.Attributes["max-age"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(maxAge, 1, (int)TimeSpan.FromDays(7).TotalSeconds);
    }

    [Fact]
    public async Task Native_login_returns_the_refresh_token_in_the_body_and_sets_no_cookie()
    {
        var user = await _client.RegisterAsync();

        using var response = await _client.LoginAsync((string)user["username"]!, mode: "native");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RotorClient.ReadJsonAsync(response);
        Assert.False(string.IsNullOrEmpty((string?)body["refreshToken"]));
        Assert.Null(RotorClient.SetCookie(response));
    }

    [Fact]
    public async Task Login_by_email_works()
    {
        var user = await _client.RegisterAsync();

        using var response = await _client.LoginAsync(((string)user["email"]!).ToUpperInvariant(), mode: "native");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_identical_answers()
    {
        var user = await _client.RegisterAsync();

        using var wrongPassword = await _client.LoginAsync((string)user["username"]!, "not the password");
        using var unknownUser = await _client.LoginAsync("nobody" + Guid.NewGuid().ToString("N")[..8], "not the password");

        var a = await RotorClient.AssertProblemAsync(wrongPassword, HttpStatusCode.Unauthorized, "invalid_credentials");
        var b = await RotorClient.AssertProblemAsync(unknownUser, HttpStatusCode.Unauthorized, "invalid_credentials");
        a.Remove("traceId");
        b.Remove("traceId");
        Assert.Equal(a.ToJsonString(), b.ToJsonString());
        Assert.Equal(Headers(wrongPassword), Headers(unknownUser));
    }

    [Fact]
    public async Task Repeated_failures_lock_the_address_out_with_Retry_After()
    {
        var user = await _client.RegisterAsync();
        var name = (string)user["username"]!;
        for (var i = 0; i < 4; i++)
        {
            using var failed = await _client.LoginAsync(name, "wrong password");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var fifth = await _client.LoginAsync(name, "wrong password");
        await RotorClient.AssertProblemAsync(fifth, (HttpStatusCode)423, "locked_out");
        Assert.NotNull(fifth.Headers.RetryAfter);

        // While locked, even the right password is refused.
        using var right = await _client.LoginAsync(name);
        await RotorClient.AssertProblemAsync(right, (HttpStatusCode)423, "locked_out");
        Assert.True(right.Headers.RetryAfter!.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Unknown_names_lock_out_like_real_ones()
    {
        var name = "ghost" + Guid.NewGuid().ToString("N")[..8];
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await _client.LoginAsync(name, "wrong password");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), (HttpStatusCode)423, (HttpStatusCode)423], statuses);
    }

    [Fact]
    public async Task A_burst_of_failures_by_username_and_email_counts_exactly()
    {
        var user = await _client.RegisterAsync();
        var name = (string)user["username"]!;
        var email = ((string)user["email"]!).ToUpperInvariant();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            _client.Http.PostAsJsonAsync("/auth/login", new { username = i % 2 == 0 ? name : email, password = $"wrong {i}" })));

        // The policy allows five failures from one address: four plain refusals, then the lock. No burst squeezes
        // in more password checks than that, however it spells the account.
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(16, responses.Count(r => r.StatusCode == (HttpStatusCode)423));
        var failures = await Database.CountAsync(_app, $"SELECT COUNT(*) FROM rotor_security_events WHERE UserId = '{user["id"]}' AND Type = 'login_failed'");
        Assert.Equal(5, failures);
    }

    [Fact]
    public async Task Login_records_the_last_login_time_and_a_security_event()
    {
        var user = await _client.RegisterAsync();
        var id = (string)user["id"]!;
        Assert.Equal([null], await Database.QueryStringsAsync(_app, $"SELECT LastLoginAt FROM AspNetUsers WHERE Id = '{id}'"));

        using var response = await _client.LoginAsync((string)user["username"]!, mode: "native");

        var stored = await Database.QueryStringsAsync(_app, $"SELECT LastLoginAt FROM AspNetUsers WHERE Id = '{id}'");
        Assert.Equal(_app.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), stored.Single());
        Assert.Contains("login_succeeded", await Database.QueryStringsAsync(_app, $"SELECT Type FROM rotor_security_events WHERE UserId = '{id}'"));
    }

    [Fact]
    public async Task Missing_fields_and_an_unknown_mode_are_validation_errors()
    {
        using var empty = await _client.Http.PostAsJsonAsync("/auth/login", new { });
        using var badMode = await _client.Http.PostAsJsonAsync("/auth/login", new { username = "a", password = "b", mode = "telepathy" });

        var body = await RotorClient.AssertProblemAsync(empty, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(body["errors"]!.AsObject().ContainsKey("username"));
        Assert.True(body["errors"]!.AsObject().ContainsKey("password"));
        var mode = await RotorClient.AssertProblemAsync(badMode, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(mode["errors"]!.AsObject().ContainsKey("mode"));
    }

    private static string Headers(HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Content-Length"))
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => h.Key + ": " + string.Join(",", h.Value)));
}

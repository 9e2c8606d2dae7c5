using System.Net;
using System.Net.Http.Json;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

public sealed class RateLimitTests : IDisposable
{
    private readonly RotorApp _app = LifecycleHost.Create(new Dictionary<string, string?>
    {
        ["Rotor:RateLimits:Login:PerAddress"] = "5",
        ["Rotor:RateLimits:Login:PerAccount"] = "3",
        ["Rotor:RateLimits:Login:Window"] = "01:00:00",
        ["Rotor:RateLimits:Register:PerAddress"] = "4",
        ["Rotor:RateLimits:Register:PerAccount"] = "2",
        ["Rotor:RateLimits:Register:Window"] = "01:00:00",
        ["Rotor:RateLimits:Availability:PerAddress"] = "3",
        ["Rotor:RateLimits:Availability:Window"] = "01:00:00",
        ["Rotor:RateLimits:VerifyOtp:PerAddress"] = "4",
        ["Rotor:RateLimits:VerifyOtp:PerAccount"] = "2",
        ["Rotor:RateLimits:VerifyOtp:Window"] = "01:00:00",
        ["Rotor:RateLimits:ResendOtp:PerAddress"] = "4",
        ["Rotor:RateLimits:ResendOtp:PerAccount"] = "2",
        ["Rotor:RateLimits:ResendOtp:Window"] = "01:00:00",
        ["Rotor:RateLimits:ForgotPassword:PerAddress"] = "4",
        ["Rotor:RateLimits:ForgotPassword:PerAccount"] = "2",
        ["Rotor:RateLimits:ForgotPassword:Window"] = "01:00:00",
    });

    private readonly RotorClient _client;

    public RateLimitTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private static async Task AssertLimitedAsync(HttpResponseMessage response)
    {
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Login_is_limited_per_client_address_across_accounts()
    {
        for (var i = 0; i < 5; i++)
        {
            using var allowed = await _client.PostAsync("/auth/login", new { username = RotorClient.NewName(), password = "whatever it is" }, address: "198.51.100.1");
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        using var limited = await _client.PostAsync("/auth/login", new { username = RotorClient.NewName(), password = "whatever it is" }, address: "198.51.100.1");
        await AssertLimitedAsync(limited);

        using var elsewhere = await _client.PostAsync("/auth/login", new { username = RotorClient.NewName(), password = "whatever it is" }, address: "198.51.100.2");
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Login_is_limited_per_account_and_address_and_the_owner_elsewhere_is_not_held_up()
    {
        var (username, _, _) = await _client.NewUserAsync();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await _client.PostAsync("/auth/login", new { username, password = RotorClient.Password, mode = "native" }, address: "198.51.100.10");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        // Another spelling of the same name still counts against it (names are compared normalised).
        using var limited = await _client.PostAsync("/auth/login", new { username = username.ToUpperInvariant(), password = RotorClient.Password }, address: "198.51.100.10");
        await AssertLimitedAsync(limited);

        // Whoever spends the limit from one address does not keep the owner out from another.
        using var owner = await _client.PostAsync("/auth/login", new { username, password = RotorClient.Password, mode = "native" }, address: "198.51.100.20");
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Login_by_username_and_by_email_counts_against_one_per_account_limit()
    {
        // One form alone, then the two forms alternating: the limit (3) is reached at the same attempt.
        foreach (var alternate in (bool[])[false, true])
        {
            var (username, email, _) = await _client.NewUserAsync();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++)
            {
                var login = alternate && i % 2 == 1 ? email : username;
                using var response = await _client.PostAsync("/auth/login", new { username = login, password = RotorClient.Password, mode = "native" }, address: alternate ? "198.51.100.81" : "198.51.100.80");
                statuses.Add(response.StatusCode);
                if (i == 3)
                {
                    await AssertLimitedAsync(response);
                }
            }

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        }
    }

    [Fact]
    public async Task An_unknown_name_is_limited_per_account_like_a_real_one()
    {
        var (username, _, _) = await _client.NewUserAsync();
        foreach (var (name, address) in (ValueTuple<string, string>[])[(username, "198.51.100.90"), (RotorClient.NewName(), "198.51.100.91")])
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++)
            {
                using var response = await _client.PostAsync("/auth/login", new { username = name, password = "not the password" }, address: address);
                statuses.Add(response.StatusCode);
            }

            Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        }
    }

    [Fact]
    public async Task IPv6_clients_are_counted_by_their_64_bit_prefix()
    {
        for (var i = 0; i < 5; i++)
        {
            (await _client.PostAsync("/auth/login", new { username = RotorClient.NewName(), password = "whatever it is" }, address: $"2001:db8:1:2::{i + 1:x}")).Dispose();
        }

        using var sameNetwork = await _client.PostAsync("/auth/login", new { username = RotorClient.NewName(), password = "whatever it is" }, address: "2001:db8:1:2:ffff::1");
        await AssertLimitedAsync(sameNetwork);
        using var otherNetwork = await _client.PostAsync("/auth/login", new { username = RotorClient.NewName(), password = "whatever it is" }, address: "2001:db8:1:3::1");
        Assert.Equal(HttpStatusCode.Unauthorized, otherNetwork.StatusCode);
    }

    [Fact]
    public async Task Registration_is_limited_per_address_and_per_email()
    {
        var email = RotorClient.NewName() + "@example.com";
        for (var i = 0; i < 2; i++)
        {
            (await _client.PostAsync("/auth/register", new { username = RotorClient.NewName(), email, password = RotorClient.Password }, address: $"198.51.100.{30 + i}")).Dispose();
        }

        using var sameEmail = await _client.PostAsync("/auth/register", new { username = RotorClient.NewName(), email, password = RotorClient.Password }, address: "198.51.100.39");
        await AssertLimitedAsync(sameEmail);

        for (var i = 0; i < 4; i++)
        {
            var name = RotorClient.NewName();
            using var allowed = await _client.PostAsync("/auth/register", new { username = name, email = name + "@example.com", password = RotorClient.Password }, address: "198.51.100.40");
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        }

        var last = RotorClient.NewName();
        using var sameAddress = await _client.PostAsync("/auth/register", new { username = last, email = last + "@example.com", password = RotorClient.Password }, address: "198.51.100.40");
        await AssertLimitedAsync(sameAddress);
    }

    [Fact]
    public async Task Availability_is_limited_per_address()
    {
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await Get("/auth/availability?username=" + RotorClient.NewName(), "198.51.100.50");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await Get("/auth/availability?username=" + RotorClient.NewName(), "198.51.100.50");
        await AssertLimitedAsync(limited);
    }

    [Theory]
    [InlineData("/auth/verify-otp")]
    [InlineData("/auth/resend-otp")]
    [InlineData("/auth/forgot-password")]
    public async Task Code_and_reset_endpoints_are_limited_per_email_and_per_address(string path)
    {
        var email = RotorClient.NewName() + "@example.com";
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await _client.PostAsync(path, new { email, code = "123456" }, address: $"198.51.100.{60 + i}");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        using var sameEmail = await _client.PostAsync(path, new { email = email.ToUpperInvariant(), code = "123456" }, address: "198.51.100.69");
        await AssertLimitedAsync(sameEmail);

        for (var i = 0; i < 4; i++)
        {
            using var allowed = await _client.PostAsync(path, new { email = RotorClient.NewName() + "@example.com", code = "123456" }, address: "198.51.100.70");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        using var sameAddress = await _client.PostAsync(path, new { email = RotorClient.NewName() + "@example.com", code = "123456" }, address: "198.51.100.70");
        await AssertLimitedAsync(sameAddress);
    }

    [Fact]
    public async Task Limits_can_be_turned_off()
    {
        using var app = LifecycleHost.Create(new Dictionary<string, string?> { ["Rotor:RateLimits:Enabled"] = "false", ["Rotor:RateLimits:Availability:PerAddress"] = "1" });
        using var client = app.Client();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.Http.GetAsync("/auth/availability?username=" + RotorClient.NewName());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_malformed_body_is_still_refused_by_the_endpoint_not_the_limiter()
    {
        using var response = await _client.Http.PostAsync("/auth/login", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        using var ok = await _client.Http.PostAsJsonAsync("/auth/login", new { username = "someone", password = "whatever it is" });
        Assert.Equal(HttpStatusCode.Unauthorized, ok.StatusCode);
    }

    private Task<HttpResponseMessage> Get(string path, string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(LifecycleHost.AddressHeader, address);
        return _client.Http.SendAsync(request);
    }
}

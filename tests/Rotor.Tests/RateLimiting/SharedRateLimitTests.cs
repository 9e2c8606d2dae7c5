using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rotor.Sessions;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.RateLimiting;

/// <summary>Two instances on one database count one set of limits: together they allow N requests, not 2N.</summary>
public sealed class SharedRateLimitTests : IDisposable
{
    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["Rotor:RateLimits:Availability:PerAddress"] = "4",
        ["Rotor:RateLimits:Availability:Window"] = "01:00:00",
        ["Rotor:RateLimits:Login:PerAddress"] = "1000",
        ["Rotor:RateLimits:Login:PerAccount"] = "3",
        ["Rotor:RateLimits:Login:Window"] = "01:00:00",
        ["Rotor:RateLimits:ForgotPassword:PerAddress"] = "1000",
        ["Rotor:RateLimits:ForgotPassword:PerAccount"] = "2",
        ["Rotor:RateLimits:ForgotPassword:Window"] = "01:00:00",
        ["Rotor:Email:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "rotor-tests", "shared-limits-mail"),
    };

    private readonly TwoInstances _pair = new(directory => new RotorApp(Limits, directory: directory));

    public void Dispose() => _pair.Dispose();

    [Fact]
    public async Task Two_instances_share_one_per_address_limit()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await (i % 2 == 0 ? _pair.A : _pair.B).Http.GetAsync("/auth/availability?username=" + RotorClient.NewName());
            statuses.Add(response.StatusCode);
            if (i >= 4)
            {
                await AssertLimitedAsync(response, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Two_instances_share_one_per_account_sign_in_limit_for_users_and_unknown_names()
    {
        var (username, _, _) = await _pair.A.NewUserAsync();
        foreach (var (login, password, allowed) in (ValueTuple<string, string, HttpStatusCode>[])
            [(username, RotorClient.Password, HttpStatusCode.OK), (RotorClient.NewName(), "not the password", HttpStatusCode.Unauthorized)])
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++)
            {
                using var response = await (i % 2 == 0 ? _pair.A : _pair.B).PostAsync("/auth/login", new { username = login, password, mode = "native" });
                statuses.Add(response.StatusCode);
            }

            Assert.Equal([allowed, allowed, allowed, HttpStatusCode.TooManyRequests], statuses);
        }
    }

    [Fact]
    public async Task Two_instances_share_one_per_email_limit()
    {
        var email = RotorClient.NewName() + "@example.com";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await (i % 2 == 0 ? _pair.A : _pair.B).PostAsync("/auth/forgot-password", new { email });
            statuses.Add(response.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..2]);
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses[2..]);
    }

    [Fact]
    public async Task The_window_runs_from_its_first_request_and_Retry_After_says_what_is_left_of_it()
    {
        for (var i = 0; i < 4; i++)
        {
            (await _pair.A.Http.GetAsync("/auth/availability?username=" + RotorClient.NewName())).Dispose();
        }

        _pair.First.Time.Advance(TimeSpan.FromMinutes(20));
        using (var limited = await _pair.A.Http.GetAsync("/auth/availability?username=" + RotorClient.NewName()))
        {
            await AssertLimitedAsync(limited, TimeSpan.FromMinutes(39), TimeSpan.FromMinutes(40));
        }

        _pair.First.Time.Advance(TimeSpan.FromMinutes(41));
        using var again = await _pair.A.Http.GetAsync("/auth/availability?username=" + RotorClient.NewName());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Once_refused_a_key_is_refused_from_memory_without_another_write_until_its_window_ends()
    {
        for (var i = 0; i < 10; i++)
        {
            using var response = await _pair.A.Http.GetAsync("/auth/availability?username=" + RotorClient.NewName());
        }

        // Four allowed and the first refusal were counted; the other five refusals were answered from memory.
        Assert.Equal(["5"], await Database.QueryStringsAsync(_pair.First, "SELECT Hits FROM rotor_rate_limits"));
        using (var onSecond = await _pair.B.Http.GetAsync("/auth/availability?username=" + RotorClient.NewName()))
        {
            await AssertLimitedAsync(onSecond, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        }

        Assert.Equal(["6"], await Database.QueryStringsAsync(_pair.First, "SELECT Hits FROM rotor_rate_limits"));
    }

    [Fact]
    public async Task Ended_windows_are_purged_by_the_maintenance_service()
    {
        (await _pair.A.Http.GetAsync("/auth/availability?username=" + RotorClient.NewName())).Dispose();
        Assert.Equal(1, await Database.CountAsync(_pair.First, "SELECT COUNT(*) FROM rotor_rate_limits"));

        _pair.First.Time.Advance(TimeSpan.FromHours(2));
        await _pair.First.Services.GetServices<IHostedService>().OfType<SessionMaintenanceService>().Single().PurgeOnceAsync(CancellationToken.None);

        Assert.Equal(0, await Database.CountAsync(_pair.First, "SELECT COUNT(*) FROM rotor_rate_limits"));
    }

    [Fact]
    public async Task The_memory_store_counts_each_instance_alone()
    {
        var settings = new Dictionary<string, string?>(Limits) { ["Rotor:RateLimits:Store"] = "Memory", ["Rotor:RateLimits:Availability:PerAddress"] = "2" };
        using var first = new RotorApp(settings);
        using var second = new RotorApp(settings, directory: first.Directory);
        using var a = first.Client();
        using var b = second.Client();

        var statuses = new List<HttpStatusCode>();
        foreach (var client in (RotorClient[])[a, a, a, b, b, b])
        {
            using var response = await client.Http.GetAsync("/auth/availability?username=" + RotorClient.NewName());
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(0, await Database.CountAsync(first, "SELECT COUNT(*) FROM rotor_rate_limits"));
    }

    private static async Task AssertLimitedAsync(HttpResponseMessage response, TimeSpan min, TimeSpan max)
    {
        await RotorClient.AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value, min, max);
    }
}

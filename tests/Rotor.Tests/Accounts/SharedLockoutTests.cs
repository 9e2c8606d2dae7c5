using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>Two instances on one database keep one lockout: failures counted on either lock the source out of both.</summary>
public sealed class SharedLockoutTests : IDisposable
{
    private readonly TwoInstances _pair = new(directory => LifecycleHost.Create(directory: directory));

    public void Dispose() => _pair.Dispose();

    [Fact]
    public async Task Failures_on_two_instances_lock_a_source_out_of_an_account_and_of_an_unknown_name_at_the_same_count()
    {
        var (username, _, _) = await _pair.A.NewUserAsync();
        foreach (var (name, address) in (ValueTuple<string, string>[])[(username, "198.51.100.1"), (RotorClient.NewName(), "198.51.100.2")])
        {
            // Identity's default: 5 failures from one source lock it out, wherever they were counted.
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 6; i++)
            {
                using var response = await (i % 2 == 0 ? _pair.A : _pair.B).PostAsync("/auth/login", new { username = name, password = "not the password" }, address: address);
                statuses.Add(response.StatusCode);
            }

            Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.Unauthorized));
            Assert.All(statuses.Skip(4), s => Assert.Equal((HttpStatusCode)423, s));
            foreach (var client in (RotorClient[])[_pair.A, _pair.B])
            {
                using var right = await client.PostAsync("/auth/login", new { username = name, password = RotorClient.Password }, address: address);
                await RotorClient.AssertProblemAsync(right, (HttpStatusCode)423, "locked_out");
            }
        }
    }

    [Fact]
    public async Task Concurrent_failures_on_two_instances_are_all_counted()
    {
        var name = RotorClient.NewName();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? _pair.A : _pair.B).PostAsync("/auth/login", new { username = name, password = "not the password" }, address: $"198.51.100.{i + 10}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(["20"], await Database.QueryStringsAsync(_pair.First, "SELECT Failures FROM rotor_sign_in_failures WHERE Source = '*'"));
    }
}

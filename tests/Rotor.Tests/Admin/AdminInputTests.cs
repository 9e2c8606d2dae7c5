using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Admin;

/// <summary>Garbage, huge and unknown input to the admin endpoints: a 400 or 404 problem naming the field, never a 500.</summary>
public sealed class AdminInputTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;

    public AdminInputTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { "GET", "/admin/users?limit=100000" },
        { "GET", "/admin/users?limit=0" },
        { "GET", "/admin/users?limit=-1" },
        { "GET", "/admin/users?limit=abc" },
        { "GET", "/admin/users?page=0" },
        { "GET", "/admin/users?page=99999999999" },
        { "GET", "/admin/users?match=regex&q=a" },
        { "GET", "/admin/users?q=" + new string('a', 300) },
        { "GET", "/admin/users?q=a%00b" },
        { "GET", "/admin/users/" + new string('x', 500) },
        { "GET", "/admin/users/a%01b/sessions" },
        { "GET", "/admin/users/{id}/events?limit=1000000" },
        { "GET", "/admin/users/{id}/events?before=-5" },
        { "GET", "/admin/users/{id}/events?before=%27%3B--" },
        { "DELETE", "/admin/users/{id}/sessions/not-a-guid" },
        { "DELETE", "/admin/users/{id}/sessions/%27%20OR%201%3D1" },
        { "POST", "/admin/users/" + new string('9', 451) + "/lock" },
    };

    public static TheoryData<string, string> UnknownUsers => new()
    {
        { "GET", "/admin/users/{missing}" },
        { "GET", "/admin/users/{missing}/sessions" },
        { "GET", "/admin/users/{missing}/events" },
        { "DELETE", "/admin/users/{missing}/sessions" },
        { "DELETE", "/admin/users/{missing}/sessions/00000000-0000-0000-0000-000000000001" },
        { "POST", "/admin/users/{missing}/lock" },
        { "POST", "/admin/users/{missing}/unlock" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_validation_problem(string method, string path)
    {
        var admin = await AdminKit.NewAdminAsync(_client);

        using var response = await _client.SendAsync(new HttpMethod(method), path.Replace("{id}", admin.UserId, StringComparison.Ordinal), admin.AccessToken);

        var problem = await RotorClient.AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]);
    }

    [Theory]
    [MemberData(nameof(UnknownUsers))]
    public async Task An_unknown_user_is_a_404_user_not_found(string method, string path)
    {
        var admin = await AdminKit.NewAdminAsync(_client);

        using var response = await _client.SendAsync(new HttpMethod(method), path.Replace("{missing}", Guid.NewGuid().ToString(), StringComparison.Ordinal), admin.AccessToken);

        await RotorClient.AssertProblemAsync(response, HttpStatusCode.NotFound, "user_not_found");
    }

    [Fact]
    public async Task Odd_but_harmless_queries_answer_200()
    {
        var admin = await AdminKit.NewAdminAsync(_client);
        foreach (var query in (string[])["", "?q=%E2%80%AE", "?q=%F0%9F%94%91&match=prefix", "?q=%27%20OR%201%3D1--&match=prefix", "?q=%5C", "?q=%20%20"])
        {
            using var response = await _client.SendAsync(HttpMethod.Get, "/admin/users" + query, admin.AccessToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}

using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Admin;

/// <summary>The demo host's Host:DemoAdmins: listed usernames pass the admin policy without the role, read live.</summary>
public sealed class DemoAdminTests : IDisposable
{
    private readonly string _name = RotorClient.NewName();
    private readonly RotorApp _app;
    private readonly RotorClient _client;

    public DemoAdminTests()
    {
        _app = new RotorApp(new Dictionary<string, string?> { ["Host:DemoAdmins:0"] = _name.ToUpperInvariant() });
        _client = _app.Client();
    }

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task A_listed_username_is_an_admin_and_loses_it_with_a_new_name()
    {
        var listed = await _client.NewNativeSessionAsync(_name);
        var other = await _client.NewNativeSessionAsync();

        using (var allowed = await _client.SendAsync(HttpMethod.Get, "/admin/access", listed.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        }

        using (var refused = await _client.SendAsync(HttpMethod.Get, "/admin/access", other.AccessToken))
        {
            await RotorClient.AssertProblemAsync(refused, HttpStatusCode.Forbidden, "forbidden");
        }

        // The name is read from the user, not from the token: renamed, the same token is refused.
        using (var rename = await _client.SendAsync(HttpMethod.Post, "/users/me/username", listed.AccessToken, new { username = RotorClient.NewName(), password = RotorClient.Password }))
        {
            Assert.True(rename.IsSuccessStatusCode, await rename.Content.ReadAsStringAsync());
        }

        using var after = await _client.SendAsync(HttpMethod.Get, "/admin/access", listed.AccessToken);
        Assert.NotEqual(HttpStatusCode.NoContent, after.StatusCode);
    }
}

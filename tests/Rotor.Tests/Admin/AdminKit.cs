using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Admin;

/// <summary>Makes and unmakes admins on a real host (Identity's role store), and reads the admin endpoints.</summary>
internal static class AdminKit
{
    public const string Role = "rotor-admin";

    public static async Task<NativeSession> NewAdminAsync(RotorClient client)
    {
        var session = await client.NewNativeSessionAsync();
        await SetRoleAsync(client.App, session.UserId, true);
        return session;
    }

    public static async Task SetRoleAsync(RotorApp app, string userId, bool member)
    {
        using var scope = app.Services.CreateScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(Role))
        {
            Assert.True((await roles.CreateAsync(new IdentityRole(Role))).Succeeded);
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        var result = member ? await users.AddToRoleAsync(user, Role) : await users.RemoveFromRoleAsync(user, Role);
        Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Code)));
    }

    public static async Task<JsonObject> GetJsonAsync(RotorClient client, string path, string token)
    {
        using var response = await client.SendAsync(HttpMethod.Get, path, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonArray> GetArrayAsync(RotorClient client, string path, string token)
    {
        using var response = await client.SendAsync(HttpMethod.Get, path, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    /// <summary>The target's log as the admin endpoint shows it, newest first.</summary>
    public static async Task<List<JsonObject>> EventsAsync(RotorClient client, string userId, string adminToken) =>
        (await GetJsonAsync(client, $"/admin/users/{userId}/events?limit=100", adminToken))["items"]!.AsArray().Select(e => e!.AsObject()).ToList();
}

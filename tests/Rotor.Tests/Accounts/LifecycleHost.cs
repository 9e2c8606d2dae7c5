using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Tests.Email;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Accounts;

/// <summary>
/// Starts a <see cref="RotorApp"/> for the account-lifecycle tests: mail to a pickup directory inside the app's
/// temporary folder, a public origin that differs from the request host, and an <c>X-Test-Address</c> header
/// that sets the client address (so tests can act as many clients).
/// </summary>
public static class LifecycleHost
{
    public const string PublicOrigin = "https://app.rotor.test";
    public const string AddressHeader = "X-Test-Address";

    // directory: another app's Directory, to run a second instance on its database and keys.
    public static RotorApp Create(IDictionary<string, string?>? settings = null, bool verification = false, Action<IServiceCollection>? services = null, string? directory = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "rotor-tests", Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?>
        {
            ["Rotor:Email:PickupDirectory"] = Path.Combine(directory, "mail"),
            ["Rotor:PublicOrigin"] = PublicOrigin,
            ["Rotor:RequireEmailVerification"] = verification ? "true" : "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return new RotorApp(values, collection =>
        {
            collection.AddSingleton<IStartupFilter, TestAddressStartupFilter>();
            services?.Invoke(collection);
        }, directory);
    }

    public static PickupMailbox Mailbox(RotorApp app) => new(Path.Combine(app.Directory, "mail"));

    public static Task<HttpResponseMessage> PostAsync(this RotorClient client, string path, object body, string? address = null, string? accessToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (address is not null)
        {
            request.Headers.Add(AddressHeader, address);
        }

        if (accessToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client.Http.SendAsync(request);
    }

    /// <summary>Asks for a reset link for <paramref name="email"/> and returns the token in it (the <paramref name="skip"/>+1-th message).</summary>
    public static async Task<string> RequestResetTokenAsync(this RotorClient client, PickupMailbox mail, string email, int skip = 0)
    {
        using var forgot = await client.PostAsync("/auth/forgot-password", new { email });
        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        return MailContent.ResetToken(await mail.WaitForAsync(email, skip));
    }

    /// <summary>Registers a user with a fresh name; returns (username, email, id).</summary>
    public static async Task<(string Username, string Email, string Id)> NewUserAsync(this RotorClient client)
    {
        var user = await client.RegisterAsync();
        return ((string)user["username"]!, (string)user["email"]!, (string)user["id"]!);
    }

    public static async Task<JsonObject> AssertOkJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private sealed class TestAddressStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader], out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

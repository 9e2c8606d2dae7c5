using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rotor.Tests.Infrastructure;

/// <summary>An HTTP client for a <see cref="RotorApp"/> with the contract's calls spelled out once.</summary>
public sealed class RotorClient(HttpClient http, RotorApp app) : IDisposable
{
    public const string Password = "correct horse battery staple";
    /// <summary>The refresh cookie's name on a host with the default (Secure) cookie.</summary>
    public const string CookieName = "__Host-rotor_refresh";

    public HttpClient Http { get; } = http;

    public RotorApp App { get; } = app;

    public static string NewName() => "u" + Guid.NewGuid().ToString("N")[..10];

    public async Task<JsonObject> RegisterAsync(string? username = null, string? email = null, string password = Password)
    {
        username ??= NewName();
        email ??= username + "@example.com";
        using var response = await Http.PostAsJsonAsync("/auth/register", new { username, email, password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public Task<HttpResponseMessage> LoginAsync(string login, string password = Password, string? mode = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = JsonContent.Create(new { username = login, password, mode }) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{CookieName}={cookie}");
        }

        return Http.SendAsync(request);
    }

    /// <summary>Registers a user and signs in natively; returns the body (accessToken, refreshToken, sessionId, user).</summary>
    public async Task<NativeSession> NewNativeSessionAsync(string? username = null)
    {
        var user = await RegisterAsync(username);
        return await NativeLoginAsync((string)user["username"]!);
    }

    public async Task<NativeSession> NativeLoginAsync(string username)
    {
        using var response = await LoginAsync(username, mode: "native");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return NativeSession.From(await ReadJsonAsync(response), username);
    }

    public async Task<BrowserSession> NewBrowserSessionAsync()
    {
        var user = await RegisterAsync();
        var username = (string)user["username"]!;
        using var response = await LoginAsync(username);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        return new BrowserSession(username, (string)body["accessToken"]!, SetCookie(response)!.Value, Guid.Parse((string)body["sessionId"]!));
    }

    public Task<HttpResponseMessage> RefreshNativeAsync(string refreshToken) =>
        Http.PostAsJsonAsync("/auth/refresh", new { refreshToken });

    public Task<HttpResponseMessage> RefreshBrowserAsync(string? cookie, string? origin = null, bool csrfHeader = true, string? fetchSite = null) =>
        CookieRequestAsync("/auth/refresh", cookie, origin, csrfHeader, fetchSite);

    /// <summary>A POST that relies on the refresh cookie, with the headers a browser would (or would not) send.</summary>
    public Task<HttpResponseMessage> CookieRequestAsync(string path, string? cookie, string? origin = null, bool csrfHeader = true, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{CookieName}={cookie}");
        }

        if (csrfHeader)
        {
            request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? accessToken, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return Http.SendAsync(request);
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Asserts a problem+json answer with the given status and code; returns the body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (string?)body["code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["detail"]));
        return body;
    }

    /// <summary>The refresh cookie a response sets, parsed; null when it sets none.</summary>
    public static SetCookieHeader? SetCookie(HttpResponseMessage response, string name = CookieName) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(SetCookieHeader.Parse).LastOrDefault(c => c.Name == name)
            : null;

    public static JsonElement DecodeJwtPart(string jwt, int part)
    {
        var segment = jwt.Split('.')[part];
        return JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(segment)).RootElement;
    }

    public void Dispose() => Http.Dispose();
}

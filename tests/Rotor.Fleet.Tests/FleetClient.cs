using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rotor.Fleet.Tests;

/// <summary>
/// Rotor's HTTP contract as the fleet tests use it: native sessions (refresh token in the body), one shared connection
/// pool, and answers that never throw (a connection that failed is status 0), so load loops can count every outcome.
/// </summary>
public sealed class FleetClient : IDisposable
{
    public const string Password = "fleet test passphrase 42";

    private static int _addresses;
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 512,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>
    /// A client address nobody else uses, sent as X-Forwarded-For straight to a host (which believes it from 127.0.0.1,
    /// its known proxy): each sign-up and sign-in then has its own per-address rate limit, as distinct users would.
    /// </summary>
    public static string NewAddress()
    {
        var n = Interlocked.Increment(ref _addresses);
        return string.Create(CultureInfo.InvariantCulture, $"10.{Environment.ProcessId % 250}.{n / 250 % 250}.{n % 250 + 1}");
    }

    /// <summary>Registers a new user through <paramref name="host"/> and returns the username.</summary>
    public async Task<string> RegisterAsync(Uri host)
    {
        var username = "fleet_" + Guid.NewGuid().ToString("N")[..12];
        using var response = await SendAsync(HttpMethod.Post, host, "/auth/register", null, new { username, email = username + "@example.com", password = Password }, NewAddress());
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"register: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return username;
    }

    /// <summary>Signs <paramref name="username"/> in through <paramref name="host"/> as a native client: a new session.</summary>
    public async Task<FleetSession> LoginAsync(Uri host, string username)
    {
        using var response = await SendAsync(HttpMethod.Post, host, "/auth/login", null, new { username, password = Password, mode = "native" }, NewAddress());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"login: {(int)response.StatusCode} {body}");
        var json = JsonNode.Parse(body)!;
        return new FleetSession((string)json["sessionId"]!, (string)json["accessToken"]!, (string)json["refreshToken"]!);
    }

    /// <summary>New sessions of new users, signed in through the hosts in turn, <paramref name="count"/> in all.</summary>
    public async Task<FleetSession[]> NewSessionsAsync(Fleet fleet, int count, int perUser = 1)
    {
        var sessions = new FleetSession[count];
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, (count + perUser - 1) / perUser).Select(async u =>
        {
            await gate.WaitAsync();
            try
            {
                var username = await RegisterAsync(fleet.Hosts[u % fleet.Hosts.Count]);
                for (var i = u * perUser; i < Math.Min(count, (u + 1) * perUser); i++)
                {
                    sessions[i] = await LoginAsync(fleet.Hosts[i % fleet.Hosts.Count], username);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return sessions;
    }

    /// <summary>POST /auth/refresh with <paramref name="refreshToken"/> in the body.</summary>
    public async Task<Answer> RefreshAsync(Uri target, string refreshToken, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Post, target, "/auth/refresh", null, new { refreshToken }, null, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var json = body.Length > 0 && body[0] == '{' ? JsonNode.Parse(body) : null;
            return new Answer((int)response.StatusCode, (string?)json?["code"], response.Headers.RetryAfter?.Delta,
                (string?)json?["accessToken"], (string?)json?["refreshToken"]);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Answer(0, e.GetType().Name, null, null, null);
        }
    }

    /// <summary>GET /users/me with <paramref name="accessToken"/>: its status (0 when the connection failed).</summary>
    public async Task<int> MeAsync(Uri target, string accessToken, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, target, "/users/me", accessToken, null, null, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    /// <summary>POST /auth/logout of the session holding <paramref name="refreshToken"/>.</summary>
    public async Task<int> LogoutAsync(Uri target, string refreshToken)
    {
        using var response = await SendAsync(HttpMethod.Post, target, "/auth/logout", null, new { refreshToken }, null);
        return (int)response.StatusCode;
    }

    /// <summary>The key ids <paramref name="target"/>'s JWKS publishes.</summary>
    public async Task<string[]> JwksKidsAsync(Uri target)
    {
        var jwks = await _http.GetFromJsonAsync<JsonElement>(new Uri(target, "/.well-known/jwks.json"));
        return jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToArray();
    }

    /// <summary>The <c>kid</c> in an access token's header.</summary>
    public static string Kid(string jwt)
    {
        var part = jwt[..jwt.IndexOf('.', StringComparison.Ordinal)].Replace('-', '+').Replace('_', '/');
        var header = Convert.FromBase64String(part.PadRight(part.Length + (4 - part.Length % 4) % 4, '='));
        return JsonDocument.Parse(header).RootElement.GetProperty("kid").GetString()!;
    }

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri target, string path, string? accessToken, object? body, string? forwardedFor,
        CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, new Uri(target, path));
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return _http.SendAsync(request, cancellationToken);
    }
}

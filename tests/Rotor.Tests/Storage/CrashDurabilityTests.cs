using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Storage;

/// <summary>
/// Runs the real host as its own OS process on a real SQLite file (or its own PostgreSQL database), kills it
/// without warning, and starts it again on the same data: every rotation the server answered before the crash
/// must still be in force.
/// </summary>
public sealed class CrashDurabilityTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rotor-tests", "crash-" + Guid.NewGuid().ToString("N"));

    public CrashDurabilityTests()
    {
        Directory.CreateDirectory(_directory);
        if (TestDatabase.IsPostgreSql)
        {
            TestDatabase.Acquire(_directory);
        }
    }

    public void Dispose()
    {
        if (TestDatabase.IsPostgreSql)
        {
            TestDatabase.Release(_directory);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Every_answered_rotation_survives_a_hard_kill_of_the_server()
    {
        string previous;
        string last;
        string accessToken;
        var username = "u" + Guid.NewGuid().ToString("N")[..10];

        await using (var host = await HostProcess.StartAsync(_directory))
        {
            using var http = host.Client();
            using (var register = await http.PostAsJsonAsync("/auth/register", new { username, email = username + "@example.com", password = "correct horse battery staple" }))
            {
                Assert.Equal(HttpStatusCode.Created, register.StatusCode);
            }

            using (var login = await http.PostAsJsonAsync("/auth/login", new { username, password = "correct horse battery staple", mode = "native" }))
            {
                Assert.Equal(HttpStatusCode.OK, login.StatusCode);
                last = (string)(await ReadJsonAsync(login))["refreshToken"]!;
            }

            previous = last;
            accessToken = "";
            for (var i = 0; i < 20; i++)
            {
                using var refresh = await http.PostAsJsonAsync("/auth/refresh", new { refreshToken = last });
                Assert.True(refresh.StatusCode == HttpStatusCode.OK, $"Refresh {i + 1} answered {(int)refresh.StatusCode}: {await refresh.Content.ReadAsStringAsync()}");
                var body = await ReadJsonAsync(refresh);
                previous = last;
                last = (string)body["refreshToken"]!;
                accessToken = (string)body["accessToken"]!;
            }

            // No graceful shutdown, no flush: the process is gone the moment the last answer arrived.
            host.Kill();
        }

        await using (var host = await HostProcess.StartAsync(_directory))
        {
            using var http = host.Client();

            // The keys came back too: the access token issued before the crash still works.
            using (var me = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/users/me") { Headers = { { "Authorization", "Bearer " + accessToken } } }))
            {
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
                Assert.Equal(username, (string?)(await ReadJsonAsync(me))["user"]!["username"]);
            }

            using (var current = await http.PostAsJsonAsync("/auth/refresh", new { refreshToken = last }))
            {
                Assert.True(current.StatusCode == HttpStatusCode.OK, $"The last token answered {(int)current.StatusCode}: {await current.Content.ReadAsStringAsync()}\n{host.Output}");
            }

            using var replay = await http.PostAsJsonAsync("/auth/refresh", new { refreshToken = previous });
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
            var code = (string?)(await ReadJsonAsync(replay))["code"];
            Assert.Contains(code, (string[])["refresh_token_reused", "session_revoked"]);
        }
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Rotor.Host as a child process on 127.0.0.1, with its database and keys in a given folder.</summary>
    private sealed class HostProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private HostProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static async Task<HostProcess> StartAsync(string directory)
        {
            var hostDll = Path.Combine(AppContext.BaseDirectory, "Rotor.Host.dll");
            Assert.True(File.Exists(hostDll), $"{hostDll} is missing; build the test project.");
            var port = FreePort();
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(hostDll);
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add($"http://127.0.0.1:{port}");
            info.Environment["Rotor__Database"] = TestDatabase.Provider;
            info.Environment["ConnectionStrings__Rotor"] = TestDatabase.IsPostgreSql
                ? TestDatabase.PostgreSqlConnectionString(directory)
                : $"Data Source={Path.Combine(directory, "rotor.db")};Default Timeout=5";
            info.Environment["Rotor__KeyDirectory"] = Path.Combine(directory, "keys");
            info.Environment["Rotor__RotationGracePeriod"] = "00:00:00";
            info.Environment["Host__DemoAppPath"] = Path.Combine(directory, "no-demo");
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            info.Environment["Rotor__RequireEmailVerification"] = "false"; // on in Development for the demo
            info.Environment.Remove("ASPNETCORE_URLS");
            info.Environment.Remove("ASPNETCORE_HTTP_PORTS");

            var process = new Process { StartInfo = info };
            var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"));
            process.OutputDataReceived += (_, e) => host.Append(e.Data);
            process.ErrorDataReceived += (_, e) => host.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            try
            {
                await host.WaitUntilHealthyAsync();
                return host;
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }

        public HttpClient Client() => new() { BaseAddress = Address, Timeout = RequestTimeout };

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(30)), "The host did not exit after being killed.");
        }

        public ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(TimeSpan.FromSeconds(30));
                }
            }
            catch (InvalidOperationException)
            {
                // Never started or already gone.
            }

            _process.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task WaitUntilHealthyAsync()
        {
            using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < StartTimeout)
            {
                if (_process.HasExited)
                {
                    throw new Xunit.Sdk.XunitException($"The host exited with {_process.ExitCode} before it was healthy:\n{Output}");
                }

                try
                {
                    using var response = await http.GetAsync("/healthz");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(100);
            }

            throw new Xunit.Sdk.XunitException($"The host was not healthy within {StartTimeout}:\n{Output}");
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

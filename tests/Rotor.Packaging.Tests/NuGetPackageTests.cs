using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Rotor.Packaging.Tests;

/// <summary>
/// The packages as their users get them: packed into a local folder feed, then restored into throw-away apps outside
/// the repository (a web app on Rotor + Rotor.Sqlite, a console app on Rotor.Client) that are built and run.
/// </summary>
public sealed class NuGetPackageTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    [Fact]
    public void Every_package_carries_its_readme_xml_docs_licence_symbols_and_commit()
    {
        foreach (var id in PackedFeed.Packages)
        {
            var package = Path.Combine(feed.Directory, $"{id}.{feed.Version}.nupkg");
            Assert.True(File.Exists(package), $"{package} was not packed:\n{feed.PackOutput}");
            using var zip = ZipFile.OpenRead(package);
            var files = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("README.md", files);
            Assert.Contains($"lib/net10.0/{id}.dll", files);
            Assert.Contains($"lib/net10.0/{id}.xml", files);

            using var nuspecStream = zip.GetEntry($"{id}.nuspec")!.Open();
            var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.Equal(id, Value("id"));
            Assert.Equal(feed.Version, Value("version"));
            Assert.Equal("MIT", Value("license"));
            Assert.Equal("README.md", Value("readme"));
            Assert.False(string.IsNullOrWhiteSpace(Value("description")));
            Assert.Contains("authentication", Value("tags"), StringComparison.Ordinal);
            var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.Equal("git", repository.Attribute("type")?.Value);
            Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
            if (id != "Rotor" && id != "Rotor.Client")
            {
                var rotor = metadata.Descendants().Single(e => e.Name.LocalName == "dependency" && e.Attribute("id")?.Value == "Rotor");
                Assert.Equal(feed.Version, rotor.Attribute("version")?.Value);
            }

            using var symbols = ZipFile.OpenRead(Path.ChangeExtension(package, ".snupkg"));
            Assert.Contains(symbols.Entries, e => e.FullName == $"lib/net10.0/{id}.pdb");
        }
    }

    [Fact]
    public async Task A_fresh_web_app_on_the_packages_signs_in_and_refreshes_and_a_console_app_on_Rotor_Client_signs_in_to_it()
    {
        var root = Tool.NewDirectory("apps");
        try
        {
            // Nothing of the repository's build settings reaches the apps: they stand alone, as in a user's repository.
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />");
            File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />");
            feed.WriteNuGetConfig(root);
            var version = new Dictionary<string, string> { ["ROTOR_VERSION"] = feed.Version };
            Tool.CopyApp("WebApp", Path.Combine(root, "WebApp"), version);
            Tool.CopyApp("ConsoleClient", Path.Combine(root, "ConsoleClient"), version);
            await Tool.RunAsync("dotnet", "build WebApp -c Release -nologo", root, TimeSpan.FromMinutes(4));
            await Tool.RunAsync("dotnet", "build ConsoleClient -c Release -nologo", root, TimeSpan.FromMinutes(3));
            Assert.Contains($"\"Rotor/{feed.Version}\"", File.ReadAllText(Path.Combine(root, "WebApp", "obj", "project.assets.json")), StringComparison.Ordinal);
            Assert.Contains($"\"Rotor.Client/{feed.Version}\"", File.ReadAllText(Path.Combine(root, "ConsoleClient", "obj", "project.assets.json")), StringComparison.Ordinal);

            var port = FreePort();
            var address = $"http://127.0.0.1:{port}";
            using var app = StartWebApp(root, address);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(address) };
                await WaitUntilLiveAsync(http, app);
                var username = "pkg" + Guid.NewGuid().ToString("N")[..8];
                const string Password = "correct horse battery staple";
                using (var register = await http.PostAsJsonAsync("/auth/register", new { username, email = username + "@example.com", password = Password }))
                {
                    Assert.Equal(HttpStatusCode.Created, register.StatusCode);
                }

                using var login = await http.PostAsJsonAsync("/auth/login", new { username, password = Password, mode = "native" });
                Assert.Equal(HttpStatusCode.OK, login.StatusCode);
                var tokens = (await login.Content.ReadFromJsonAsync<JsonObject>())!;
                var userId = (string)tokens["user"]!["id"]!;
                Assert.Equal($"hello {userId}", await GetWithTokenAsync(http, "/api/hello", (string)tokens["accessToken"]!));

                using var refresh = await http.PostAsJsonAsync("/auth/refresh", new { refreshToken = (string)tokens["refreshToken"]! });
                Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
                var renewed = (await refresh.Content.ReadFromJsonAsync<JsonObject>())!;
                Assert.NotEqual((string)tokens["refreshToken"]!, (string)renewed["refreshToken"]!);
                Assert.Equal($"hello {userId}", await GetWithTokenAsync(http, "/api/hello", (string)renewed["accessToken"]!));

                var output = await Tool.RunAsync("dotnet", $"ConsoleClient/bin/Release/net10.0/ConsoleClient.dll {address} {username} \"{Password}\"", root, TimeSpan.FromMinutes(1));
                Assert.Contains($"hello {userId}", output, StringComparison.Ordinal);
                Assert.Contains("signed out: True", output, StringComparison.Ordinal);
            }
            finally
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Process StartWebApp(string root, string address)
    {
        var start = new ProcessStartInfo("dotnet", [
            "WebApp/bin/Release/net10.0/WebApp.dll", "--urls", address,
            "--ConnectionStrings:App", $"Data Source={Path.Combine(root, "app.db")}",
            "--Rotor:KeyDirectory", Path.Combine(root, "keys"),
        ])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitUntilLiveAsync(HttpClient http, Process app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with {app.ExitCode}:\n{await app.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var live = await http.GetAsync("/healthz/live");
                if (live.IsSuccessStatusCode)
                {
                    return;
                }

                throw new InvalidOperationException($"/healthz/live answered {(int)live.StatusCode}: {await live.Content.ReadAsStringAsync()}");
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The web app did not answer /healthz/live within 60 s.");
            }

            await Task.Delay(200);
        }
    }

    private static async Task<string> GetWithTokenAsync(HttpClient http, string path, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A free port of this project's range on 127.0.0.1 (5790-5799; 5780-5789 are left to the other tests).</summary>
    private static int FreePort()
    {
        for (var port = 5790; port <= 5799; port++)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free port in 5790-5799 on 127.0.0.1.");
    }
}

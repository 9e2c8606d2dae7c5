using System.Globalization;

namespace Rotor.Packaging.Tests;

/// <summary>
/// The shipped libraries packed once per test run into a local folder feed, under a version no other feed or cache
/// has (0.1.0-pkgtest.&lt;time&gt;.&lt;random&gt;): a restore can only take these packages from this folder, and the global
/// packages folder (reused for everything else, so nothing is downloaded again) gets them fresh. Their entries in the
/// global packages folder are deleted again at the end.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    public static readonly string[] Packages = ["Rotor", "Rotor.Sqlite", "Rotor.PostgreSql", "Rotor.OpenApi", "Rotor.Client"];

    public string Directory { get; } = Tool.NewDirectory("feed");

    public string Version { get; } = "0.1.0-pkgtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Random.Shared.Next(100000, 999999);

    public string PackOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        // The libraries were built by this project's references; packing them again only writes the packages.
        var suffix = Version["0.1.0-".Length..];
        foreach (var package in Packages)
        {
            PackOutput += await Tool.RunAsync("dotnet",
                $"pack src/{package}/{package}.csproj -c {Tool.Configuration} --no-build --no-restore -o \"{Directory}\" -p:VersionSuffix={suffix} -nologo",
                Tool.RepositoryRoot, TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>A nuget.config for an app beside it: this folder as a source, besides the machine's configured ones.</summary>
    public void WriteNuGetConfig(string appDirectory) =>
        File.WriteAllText(Path.Combine(appDirectory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="rotor-local" value="{Directory}" />
              </packageSources>
            </configuration>
            """);

    public Task DisposeAsync()
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var package in Packages)
        {
            var entry = Path.Combine(cache, package.ToLowerInvariant(), Version);
            if (System.IO.Directory.Exists(entry))
            {
                System.IO.Directory.Delete(entry, recursive: true);
            }
        }

        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

using System.Text.Json.Nodes;

namespace Rotor.Packaging.Tests;

/// <summary>
/// @rotor/client as npm users get it: `npm pack` of web/client, linted by publint and @arethetypeswrong/cli, installed
/// from the tarball into a throw-away Vite app (vanilla TypeScript) that imports both entries, type-checks and builds.
/// The tools are web/'s own devDependencies (scripts/test.sh runs `npm ci` in web/ first).
/// </summary>
public sealed class NpmPackageTests
{
    private static readonly string Web = Path.Combine(Tool.RepositoryRoot, "web");
    private static readonly string Client = Path.Combine(Web, "client");
    private static readonly TimeSpan Minutes = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_packed_client_is_clean_for_publint_and_attw_and_builds_in_a_Vite_app_with_both_entries()
    {
        if (!File.Exists(Bin("attw")))
        {
            await Tool.RunAsync("npm", "ci --no-audit --no-fund", Web, TimeSpan.FromMinutes(5));
        }

        var work = Tool.NewDirectory("npm");
        try
        {
            // npm pack runs the package's prepack (the build), so the tarball holds a fresh dist/.
            var packed = await Tool.RunAsync("npm", $"pack --pack-destination \"{work}\"", Client, Minutes);
            var tarball = Directory.GetFiles(work, "rotor-client-*.tgz").Single();

            // publint lints what `npm pack` gives; --strict makes its warnings failures.
            await Tool.RunAsync(Bin("publint"), "--strict", Client, Minutes);
            // ESM only by design ("type": "module"; browsers and bundlers import it), so the CommonJS resolutions are
            // left out: every ESM and bundler resolution of ".", "./axios" and "./package.json" must be clean.
            var attw = await Tool.RunAsync(Bin("attw"), $"\"{tarball}\" --profile esm-only --no-emoji --no-color", work, Minutes);
            Assert.DoesNotContain("Resolution failed", attw, StringComparison.Ordinal);

            var app = Path.Combine(work, "vite-app");
            Tool.CopyApp("ViteApp", app, new Dictionary<string, string>());
            var axios = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(Web, "node_modules", "axios", "package.json")))!["version"]!;
            File.WriteAllText(Path.Combine(app, "package.json"), new JsonObject
            {
                ["name"] = "rotor-client-vite-check",
                ["private"] = true,
                ["type"] = "module",
                ["dependencies"] = new JsonObject { ["@rotor/client"] = "file:" + tarball, ["axios"] = axios },
            }.ToJsonString());
            await Tool.RunAsync("npm", "install --no-audit --no-fund --prefer-offline", app, Minutes);
            var installed = JsonNode.Parse(File.ReadAllText(Path.Combine(app, "node_modules", "@rotor", "client", "package.json")))!;
            Assert.NotNull(installed["exports"]!["./axios"]);
            Assert.False(Directory.Exists(Path.Combine(app, "node_modules", "@rotor", "client", "test")), "the package ships its tests");

            // The types of both entries resolve and check under the bundler resolution a Vite app uses ...
            await Tool.RunAsync(Bin("tsc"), "-p tsconfig.json", app, Minutes);
            // ... and Vite bundles them.
            await Tool.RunAsync(Bin("vite"), "build --logLevel warn", app, Minutes);
            var bundle = Directory.GetFiles(Path.Combine(app, "dist", "assets"), "*.js").Single();
            Assert.Contains("/auth/refresh", File.ReadAllText(bundle), StringComparison.Ordinal);
            Assert.Contains("rotor-client", packed, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Bin(string name) => Path.Combine(Web, "node_modules", ".bin", name);
}

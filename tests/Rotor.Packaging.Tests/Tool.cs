using System.Diagnostics;
using System.Text;

namespace Rotor.Packaging.Tests;

/// <summary>Runs a command line tool (dotnet, npm, node) to the end, with a time limit, and keeps what it printed.</summary>
internal static class Tool
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The configuration these tests were built in (Release under scripts/test.sh): the one to pack.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public static async Task<string> RunAsync(string file, string arguments, string directory, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Not the test host's MSBuild/dotnet-test settings: a nested build must behave as one typed in a shell.
        foreach (var name in (string[])["MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH", "VSTEST_HOST_DEBUG"])
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["npm_config_update_notifier"] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{file} {arguments}` in {directory} took longer than {timeout}:\n{Tail(output)}");
        }

        process.WaitForExit(); // drains the output events
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{file} {arguments}` in {directory} exited with {process.ExitCode}:\n{Tail(output)}");
        }

        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>A fresh directory under the system's temporary folder, outside the repository (no Directory.Build.props above it).</summary>
    public static string NewDirectory(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rotor-packaging", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Copies one of the throw-away apps (Apps/*) into <paramref name="target"/>, with <paramref name="replacements"/> made in every file.</summary>
    public static void CopyApp(string app, string target, IReadOnlyDictionary<string, string> replacements)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Apps", app);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var text = File.ReadAllText(file);
            foreach (var (from, to) in replacements)
            {
                text = text.Replace(from, to, StringComparison.Ordinal);
            }

            File.WriteAllText(destination, text);
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            var text = output.ToString();
            return text.Length <= 6000 ? text : "…" + text[^6000..];
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Rotor.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Rotor.slnx not found above " + AppContext.BaseDirectory);
    }
}

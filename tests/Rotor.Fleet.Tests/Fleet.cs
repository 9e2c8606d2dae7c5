using System.Diagnostics;
using System.Globalization;

namespace Rotor.Fleet.Tests;

/// <summary>
/// The running fleet (scripts/fleet.sh up): nginx's address, the three hosts', and the script that kills and restarts
/// its parts. Read from the fleet's state folder, <c>ROTOR_FLEET_DIR</c> or <c>.fleet/</c> in the repository.
/// </summary>
public sealed class Fleet
{
    public Fleet()
    {
        Root = FindRoot();
        Directory = Environment.GetEnvironmentVariable("ROTOR_FLEET_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Root, ".fleet");
        var envFile = Path.Combine(Directory, "fleet.env");
        if (!File.Exists(envFile))
        {
            throw new InvalidOperationException($"No fleet runs ({envFile} is missing): start one with `bash scripts/fleet.sh up` (scripts/test.sh does).");
        }

        var settings = File.ReadAllLines(envFile).Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Balancer = new Uri(settings["ROTOR_FLEET_URL"]);
        Hosts = settings["ROTOR_FLEET_HOSTS"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u)).ToArray();
        Client = new FleetClient();
    }

    /// <summary>HTTP to the fleet, shared by the tests.</summary>
    public FleetClient Client { get; }

    /// <summary>The repository's root.</summary>
    public string Root { get; }

    /// <summary>The fleet's state folder (logs, pids, figures.txt).</summary>
    public string Directory { get; }

    /// <summary>nginx, round-robin to the hosts.</summary>
    public Uri Balancer { get; }

    /// <summary>The hosts, directly; host N of fleet.sh is <c>Hosts[N - 1]</c>.</summary>
    public IReadOnlyList<Uri> Hosts { get; }

    /// <summary>Runs <c>scripts/fleet.sh</c> with <paramref name="arguments"/> and fails the test if it fails.</summary>
    public async Task RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Root };
        start.ArgumentList.Add(Path.Combine(Root, "scripts", "fleet.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"fleet.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    /// <summary>Writes a measured figure to the test's output and appends it to <c>figures.txt</c> in the state folder.</summary>
    public void Report(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        var stamped = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {line}{Environment.NewLine}");
        lock (this)
        {
            File.AppendAllText(Path.Combine(Directory, "figures.txt"), stamped);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rotor.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository (Rotor.slnx) was not found above " + AppContext.BaseDirectory);
    }
}

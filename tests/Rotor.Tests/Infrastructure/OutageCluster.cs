using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Rotor.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of a test class's own (scripts/postgres.sh with its own port and folder), so the class can take
/// it down for real without touching the server every other test uses: <see cref="StopAsync"/> is an outage (open
/// sessions are ended with 57P01, new connections refused), <see cref="StartAsync"/> the recovery on the same data.
/// Created once per class (initdb is the slow part) and deleted after. Only on PostgreSQL runs; on SQLite it does nothing.
/// The port is <c>ROTOR_TEST_OUTAGE_PG_PORT</c> (plus one per class that asks) when set, else one the system says is free.
/// </summary>
public sealed class OutageCluster : IDisposable
{
    private static int _classes;
    private readonly Dictionary<string, string?> _environment;

    public OutageCluster()
    {
        var port = Environment.GetEnvironmentVariable("ROTOR_TEST_OUTAGE_PG_PORT") is { Length: > 0 } basePort
            ? int.Parse(basePort, System.Globalization.CultureInfo.InvariantCulture) + Interlocked.Increment(ref _classes) - 1
            : FreePort();
        Port = port;
        _environment = new()
        {
            ["ROTOR_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ROTOR_PG_DIR"] = Path.Combine(Path.GetTempPath(), $"rotor-outage-{port}"),
        };
        if (TestDatabase.IsPostgreSql)
        {
            // Whatever an earlier, interrupted run left on this port goes first.
            Script("stop");
            ConnectionString = new NpgsqlConnectionStringBuilder(Script("start").Trim()) { MaxPoolSize = 20 }.ConnectionString;
        }
    }

    public int Port { get; }

    /// <summary>The cluster's <c>rotor</c> database (test hosts of the class share it; each test makes its own users).</summary>
    public string ConnectionString { get; } = "";

    /// <summary>Stops the server (pg_ctl stop -m fast) and keeps its data.</summary>
    public Task StopAsync() => Task.Run(() => Script("halt"));

    /// <summary>Starts the server again on the same data and waits until it accepts connections.</summary>
    public Task StartAsync() => Task.Run(() => Script("start"));

    /// <summary>Takes the server down until the returned value is disposed; the server is back up afterwards whatever the test did.</summary>
    public async Task<IAsyncDisposable> OutageAsync()
    {
        await StopAsync();
        return new Recovery(this);
    }

    public void Dispose()
    {
        if (TestDatabase.IsPostgreSql)
        {
            NpgsqlConnection.ClearAllPools();
            Script("stop");
        }
    }

    private string Script(string command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "scripts", "postgres.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {command} (port {Port}) failed with {process.ExitCode}: {error.Result}");
        }

        return output.Result;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "postgres.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("scripts/postgres.sh not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Recovery(OutageCluster cluster) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await cluster.StartAsync();
    }
}

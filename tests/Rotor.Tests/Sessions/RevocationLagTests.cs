using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Sessions;

/// <summary>
/// What an instance says about its revocation listener: the <c>rotor.revocation.lag</c> gauge (0 while listening) and
/// readiness, Degraded once the listener has been down longer than the poll interval (1 s of fake time here).
/// </summary>
public sealed class RevocationLagTests : IDisposable
{
    private readonly RotorApp _app = new(new Dictionary<string, string?> { ["Rotor:RevocationPollInterval"] = "00:00:01", ["Rotor:PurgeInterval"] = "1.00:00:00" });
    private readonly RotorClient _client;

    public RevocationLagTests() => _client = _app.Client();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [PostgreSqlOnlyFact("pg_terminate_backend and a database connection limit")]
    public async Task A_listener_down_longer_than_the_poll_interval_shows_in_the_lag_and_readiness()
    {
        await InstantRevocationTests.WaitUntilAsync(() => InstantRevocationTests.Listener(_app).IsListening, "the instance listens");
        Assert.Equal(0, Lag());
        Assert.Equal(HealthStatus.Healthy, await RevocationHealthAsync());
        await AssertReadyAsync("healthy");

        // No new connection to the database may open, so the listener cannot come back; the pool's open ones stay.
        var database = new NpgsqlConnectionStringBuilder(_app.ConnectionString).Database;
        await Database.ExecuteAsync(_app, $"ALTER DATABASE \"{database}\" CONNECTION LIMIT 0");
        await InstantRevocationTests.KillListenersAsync(_app);
        await InstantRevocationTests.WaitUntilAsync(() => !InstantRevocationTests.Listener(_app).IsListening, "the instance noticed the loss");
        Assert.Equal(HealthStatus.Healthy, await RevocationHealthAsync());

        _app.Time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(HealthStatus.Degraded, await RevocationHealthAsync());
        // Degraded is still ready (200): the poll keeps revocations within its interval.
        await AssertReadyAsync("degraded");

        // With the poll failing too, the lag grows with the clock.
        using (var probe = new NpgsqlConnection(_app.ConnectionString))
        {
            NpgsqlConnection.ClearPool(probe);
        }

        _app.Time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.True(Lag() >= 1.5, $"lag {Lag()} s");

        await AdminAsync($"ALTER DATABASE \"{database}\" CONNECTION LIMIT -1");
        _app.Time.Advance(TimeSpan.FromSeconds(6));
        await InstantRevocationTests.WaitUntilAsync(() => InstantRevocationTests.Listener(_app).IsListening, "the instance listens again");
        Assert.Equal(0, Lag());
        Assert.Equal(HealthStatus.Healthy, await RevocationHealthAsync());
    }

    private async Task AssertReadyAsync(string status)
    {
        using var ready = await _client.Http.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal($"{{\"status\":\"{status}\"}}", await ready.Content.ReadAsStringAsync());
    }

    private async Task<HealthStatus> RevocationHealthAsync()
    {
        var report = await _app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Name == "rotor-revocations");
        return report.Entries["rotor-revocations"].Status;
    }

    private double Lag()
    {
        var factory = _app.Services.GetRequiredService<IMeterFactory>();
        double? lag = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "rotor.revocation.lag")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => lag = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return lag ?? throw new InvalidOperationException("rotor.revocation.lag is not published.");
    }

    private async Task AdminAsync(string sql)
    {
        // The test database refuses new connections now: the server's own database takes the command.
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_app.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}

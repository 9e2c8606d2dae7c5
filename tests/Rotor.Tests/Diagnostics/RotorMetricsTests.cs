using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Diagnostics;

public sealed class RotorMetricsTests : IDisposable
{
    private readonly RotorApp _app = new();
    private readonly RotorClient _client;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public RotorMetricsTests()
    {
        _client = _app.Client();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Rotor")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((instrument.Name, value, map));
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _client.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Logins_refreshes_failures_and_reuse_are_counted()
    {
        var session = await _client.NewNativeSessionAsync();
        using var wrong = await _client.LoginAsync(session.Username, "wrong password");
        using var rotated = await _client.RefreshNativeAsync(session.RefreshToken);
        using var invalid = await _client.RefreshNativeAsync("garbage");
        _app.Time.Advance(TimeSpan.FromMinutes(1));
        using var reused = await _client.RefreshNativeAsync(session.RefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);

        Assert.Contains(_measurements, m => m.Instrument == "rotor.logins" && (string?)m.Tags["outcome"] == "succeeded");
        Assert.Contains(_measurements, m => m.Instrument == "rotor.logins" && (string?)m.Tags["outcome"] == "invalid_credentials");
        Assert.Contains(_measurements, m => m.Instrument == "rotor.refreshes" && (string?)m.Tags["kind"] == "rotated");
        Assert.Contains(_measurements, m => m.Instrument == "rotor.refresh.failures" && (string?)m.Tags["code"] == "refresh_token_invalid");
        Assert.Contains(_measurements, m => m.Instrument == "rotor.refresh.failures" && (string?)m.Tags["code"] == "refresh_token_reused");
        Assert.Single(_measurements, m => m.Instrument == "rotor.refresh_token.reuse_detected");
    }
}

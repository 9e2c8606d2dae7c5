using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rotor.Diagnostics;

/// <summary>
/// One timed operation (a sign-in, a refresh, a revocation): its span, and on disposal its duration in the histogram
/// with the outcome and provider. Disposed without <see cref="Complete"/> means it threw: outcome <c>error</c>.
/// </summary>
internal sealed class RotorOperation : IDisposable
{
    public const string OutcomeTag = "rotor.outcome";
    public const string Error = "error";

    private readonly Activity? _activity;
    private readonly Histogram<double>? _duration;
    private readonly string _provider;
    // Real elapsed time, not the app's TimeProvider: a duration is a measurement, not a rule about expiry, and a
    // fake clock in tests would report every operation as taking no time.
    private readonly long _started = Stopwatch.GetTimestamp();
    private string? _outcome;

    public RotorOperation(string name, Histogram<double>? duration, string provider)
    {
        _duration = duration;
        _provider = provider;
        _activity = RotorActivitySource.Source.StartActivity(name, ActivityKind.Internal);
    }

    public RotorOperation Tag(string key, object? value)
    {
        _activity?.SetTag(key, value);
        return this;
    }

    public void Complete(string outcome) => _outcome = outcome;

    /// <summary>The outcome of an endpoint's answer: the problem's <c>code</c>, or <c>succeeded</c>.</summary>
    public static string OutcomeOf(IResult result) =>
        result is ProblemHttpResult problem
            ? problem.ProblemDetails.Extensions.TryGetValue("code", out var code) && code is string text ? text : Error
            : "succeeded";

    public void Dispose()
    {
        var outcome = _outcome ?? Error;
        _duration?.Record(
            Stopwatch.GetElapsedTime(_started).TotalSeconds,
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("provider", _provider));
        if (_activity is not null)
        {
            _activity.SetTag(OutcomeTag, outcome);
            _activity.SetTag("db.system.name", _provider);
            if (_outcome is null)
            {
                _activity.SetStatus(ActivityStatusCode.Error);
            }

            _activity.Dispose();
        }
    }
}

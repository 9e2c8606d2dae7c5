using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Sessions;
using Rotor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rotor.Tests.Sessions;

/// <summary>
/// Revoke on one instance, refused on the other: the latency over 100 sign-outs between two in-process instances on
/// one PostgreSQL database (poll interval 5 minutes of a frozen fake clock, so only NOTIFY carries them). Run with
/// <c>ROTOR_MEASURE=1 ROTOR_TEST_DATABASE=PostgreSql dotnet test --filter RevocationLatencyMeasurement --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class RevocationLatencyMeasurement(ITestOutputHelper output) : IDisposable
{
    private const int Revocations = 100;

    private static readonly Dictionary<string, string?> Settings = new() { ["Rotor:RevocationPollInterval"] = "00:05:00", ["Rotor:PurgeInterval"] = "1.00:00:00" };

    private readonly RotorApp _first = new(Settings);
    private RotorApp? _second;

    public void Dispose()
    {
        _second?.Dispose();
        _first.Dispose();
    }

    [MeasurementFact(postgreSqlOnly: true)]
    public async Task Revoke_to_refused_over_100_sign_outs()
    {
        _second = new RotorApp(Settings, directory: _first.Directory);
        using var a = _first.Client();
        using var b = _second.Client();
        var user = await a.NewNativeSessionAsync();
        await InstantRevocationTests.WaitUntilAsync(() => InstantRevocationTests.Listener(_first).IsListening && InstantRevocationTests.Listener(_second).IsListening, "both listen");
        var list = _second.Services.GetRequiredService<SessionRevocationList>();

        var arrived = new List<double>();
        var refused = new List<double>();
        var answered = new List<double>();
        var afterAnswer = new List<double>();
        var direct = new List<double>();
        var afterCommit = new List<double>();
        await using var sql = (Npgsql.NpgsqlConnection)Database.Open(_first);
        await sql.OpenAsync();
        for (var i = 0; i < Revocations + 5; i++)
        {
            var session = await a.NativeLoginAsync(user.Username);
            using (var accepted = await b.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken))
            {
                Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            }

            var clock = Stopwatch.StartNew();
            var logout = a.SendAsync(HttpMethod.Post, "/auth/logout", session.AccessToken);
            var answeredAt = logout.ContinueWith(_ => clock.Elapsed, TaskScheduler.Default);
            while (!list.IsRevoked(session.SessionId))
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "not revoked on the second instance within 5 s");
                await Task.Yield();
            }

            var arrival = clock.Elapsed;
            var refusal = arrival + await InstantRevocationTests.AssertRefusedAsync(b, session.AccessToken);
            using var response = await logout;
            var answer = await answeredAt;

            // The same through a bare UPDATE whose commit time is known: NOTIFY's own share.
            var other = await a.NativeLoginAsync(user.Username);
            await using var update = new Npgsql.NpgsqlCommand(
                $"UPDATE rotor_sessions SET \"RevokedAt\" = {_first.Time.GetUtcNow().ToUnixTimeMilliseconds()} WHERE \"Id\" = '{other.SessionId}'", sql);
            var direct0 = Stopwatch.StartNew();
            await update.ExecuteNonQueryAsync();
            var committed = direct0.Elapsed;
            while (!list.IsRevoked(other.SessionId))
            {
                Assert.True(direct0.Elapsed < TimeSpan.FromSeconds(5), "not revoked on the second instance within 5 s");
                await Task.Yield();
            }

            var directArrival = direct0.Elapsed;
            if (i >= 5)
            {
                // The first few warm up the JIT and the connections.
                arrived.Add(arrival.TotalMilliseconds);
                refused.Add(refusal.TotalMilliseconds);
                answered.Add(answer.TotalMilliseconds);
                afterAnswer.Add((arrival - answer).TotalMilliseconds);
                direct.Add(directArrival.TotalMilliseconds);
                afterCommit.Add((directArrival - committed).TotalMilliseconds);
            }
        }

        output.WriteLine($"{Revocations} sign-outs on instance A, PostgreSQL {Environment.GetEnvironmentVariable("ROTOR_TEST_POSTGRES")}; ms from sending the logout request:");
        output.WriteLine(Line("B's revocation list has the session", arrived));
        output.WriteLine(Line("B answers 401 to the access token", refused));
        output.WriteLine(Line("A answered the logout (committed)", answered));
        output.WriteLine(Line("B had it, counted from A's answer (negative: before it)", afterAnswer));
        output.WriteLine($"{Revocations} bare UPDATEs on a separate connection; ms:");
        output.WriteLine(Line("B's revocation list has the session, from sending the UPDATE", direct));
        output.WriteLine(Line("B's revocation list has the session, from the commit's return", afterCommit));
    }

    private static string Line(string what, List<double> samples)
    {
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"{what}: p50 {At(0.50):0.00}, p90 {At(0.90):0.00}, p99 {At(0.99):0.00}, max {samples[^1]:0.00}");
    }
}

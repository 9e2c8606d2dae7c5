using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rotor.Sessions;
using Rotor.Tests.Accounts;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Sessions;

/// <summary>
/// Two instances on one PostgreSQL database. The revocation poll runs every five minutes of fake time here (the longest allowed), and the fake
/// clocks do not move unless a test says so: a refusal on the other instance within seconds of real time can only
/// have come through the trigger's NOTIFY (or the listener's catch-up read).
/// </summary>
public sealed class InstantRevocationTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private static readonly Dictionary<string, string?> Settings = new() { ["Rotor:RevocationPollInterval"] = "00:05:00", ["Rotor:PurgeInterval"] = "1.00:00:00" };

    private readonly TwoInstances _pair = new(directory => new RotorApp(Settings, directory: directory));

    public void Dispose() => _pair.Dispose();

    [PostgreSqlOnlyFact("LISTEN/NOTIFY")]
    public async Task A_sign_out_on_one_instance_is_refused_on_the_other_at_once()
    {
        var session = await ListeningSessionAsync();

        using var logout = await _pair.A.SendAsync(HttpMethod.Post, "/auth/logout", session.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        await AssertRefusedOnSecondAsync(session.AccessToken);
    }

    [PostgreSqlOnlyFact("LISTEN/NOTIFY")]
    public async Task Signing_out_everywhere_on_one_instance_is_refused_on_the_other_for_every_session()
    {
        var laptop = await ListeningSessionAsync();
        var phone = await _pair.A.NativeLoginAsync(laptop.Username);
        await AssertAcceptedOnSecondAsync(phone.AccessToken);

        using var all = await _pair.A.SendAsync(HttpMethod.Post, "/auth/logout-all", laptop.AccessToken);
        Assert.True(all.IsSuccessStatusCode, $"logout-all answered {(int)all.StatusCode}");

        await AssertRefusedOnSecondAsync(laptop.AccessToken);
        await AssertRefusedOnSecondAsync(phone.AccessToken);
    }

    [PostgreSqlOnlyFact("LISTEN/NOTIFY")]
    public async Task Reuse_detected_inside_the_rotation_statement_is_refused_on_the_other_instance()
    {
        var session = await ListeningSessionAsync();
        using var rotated = await _pair.A.RefreshNativeAsync(session.RefreshToken);
        var current = (string)(await RotorClient.ReadJsonAsync(rotated))["accessToken"]!;
        await AssertAcceptedOnSecondAsync(current);

        _pair.First.Time.Advance(TimeSpan.FromMinutes(1));
        using var replay = await _pair.A.RefreshNativeAsync(session.RefreshToken);
        await RotorClient.AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "refresh_token_reused");

        await AssertRefusedOnSecondAsync(current);
    }

    [PostgreSqlOnlyFact("LISTEN/NOTIFY")]
    public async Task A_password_change_on_one_instance_ends_the_other_sessions_on_the_other_instance()
    {
        var laptop = await ListeningSessionAsync();
        var phone = await _pair.A.NativeLoginAsync(laptop.Username);
        await AssertAcceptedOnSecondAsync(phone.AccessToken);

        using var change = await _pair.A.PostAsync("/users/me/password", new { currentPassword = RotorClient.Password, newPassword = "a new and long enough passphrase" }, accessToken: laptop.AccessToken);
        Assert.True(change.IsSuccessStatusCode, $"the change answered {(int)change.StatusCode}");

        await AssertRefusedOnSecondAsync(phone.AccessToken);
    }

    [PostgreSqlOnlyFact("the trigger on rotor_sessions")]
    public async Task A_revocation_written_by_hand_in_sql_reaches_both_instances_at_once()
    {
        // An operator's UPDATE (or any future revocation path): the trigger sees the column change, not the code.
        var session = await ListeningSessionAsync();
        await AssertAcceptedOnFirstAsync(session.AccessToken);

        await Database.ExecuteAsync(_pair.First, $"UPDATE rotor_sessions SET RevokedAt = {_pair.First.Time.GetUtcNow().ToUnixTimeMilliseconds()}, RevocationReason = 'admin' WHERE Id = '{session.SessionId}'");

        await AssertRefusedOnSecondAsync(session.AccessToken);
        await AssertRefusedAsync(_pair.A, session.AccessToken);
        Assert.Equal(["1"], await Database.QueryStringsAsync(_pair.First, $"SELECT COUNT(*) FROM rotor_revocations WHERE SessionId = '{session.SessionId}'"));
    }

    [PostgreSqlOnlyFact("pg_terminate_backend")]
    public async Task A_listener_whose_connection_was_killed_catches_up_by_sequence_after_reconnecting()
    {
        var session = await ListeningSessionAsync();
        var other = await _pair.A.NativeLoginAsync(session.Username);
        await AssertAcceptedOnSecondAsync(other.AccessToken);

        await KillListenersAsync();
        await WaitUntilAsync(() => !Listener(_pair.Second).IsListening, "the second instance noticed its listener's loss");

        // Revoked while the second instance does not listen: the notification is lost for it, and its reconnection
        // waits for its back-off (on its fake clock), so it still accepts the token.
        using var logout = await _pair.A.SendAsync(HttpMethod.Post, "/auth/logout", session.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await AssertAcceptedOnSecondAsync(session.AccessToken);

        _pair.Second.Time.Advance(TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => Listener(_pair.Second).IsListening, "the second instance listens again");
        await AssertRefusedOnSecondAsync(session.AccessToken);
        await AssertAcceptedOnSecondAsync(other.AccessToken);

        // Listening again, so the next revocation is instant again.
        using var second = await _pair.A.SendAsync(HttpMethod.Post, "/auth/logout", other.AccessToken);
        await AssertRefusedOnSecondAsync(other.AccessToken);
    }

    [PostgreSqlOnlyFact("LISTEN/NOTIFY")]
    public async Task An_instance_that_was_down_refuses_what_was_revoked_meanwhile_as_soon_as_it_starts()
    {
        var session = await _pair.A.NewNativeSessionAsync();
        using var logout = await _pair.A.SendAsync(HttpMethod.Post, "/auth/logout", session.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        // A third instance starts only now.
        using var late = new RotorApp(Settings, directory: _pair.First.Directory);
        using var c = late.Client();
        await WaitUntilAsync(() => Listener(late).IsListening, "the late instance listens");
        using var me = await c.SendAsync(HttpMethod.Get, "/users/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [PostgreSqlOnlyFact("drops the PostgreSQL trigger")]
    public async Task Without_notifications_the_poll_still_ends_the_session_within_its_interval()
    {
        var session = await ListeningSessionAsync();
        await Database.ExecuteAsync(_pair.First, "DROP TRIGGER rotor_session_revoked_v1 ON rotor_sessions");

        using var logout = await _pair.A.SendAsync(HttpMethod.Post, "/auth/logout", session.AccessToken);
        await Task.Delay(200);
        await AssertAcceptedOnSecondAsync(session.AccessToken);

        _pair.Second.Time.Advance(TimeSpan.FromMinutes(5));
        await AssertRefusedOnSecondAsync(session.AccessToken);
    }

    [Fact]
    public async Task Every_revocation_is_logged_once_by_the_database_on_every_provider()
    {
        // The one rule both providers keep: the database logs each NULL → RevokedAt change, whoever made it.
        var single = await _pair.A.NewNativeSessionAsync();
        var laptop = await _pair.A.NewNativeSessionAsync();
        var phone = await _pair.A.NativeLoginAsync(laptop.Username);
        var reused = await _pair.A.NewNativeSessionAsync();
        using (var logout = await _pair.A.SendAsync(HttpMethod.Post, "/auth/logout", single.AccessToken))
        using (var all = await _pair.B.SendAsync(HttpMethod.Post, "/auth/logout-all", laptop.AccessToken))
        using (var rotated = await _pair.A.RefreshNativeAsync(reused.RefreshToken))
        {
            _pair.First.Time.Advance(TimeSpan.FromMinutes(1));
            using var replay = await _pair.A.RefreshNativeAsync(reused.RefreshToken);
            await RotorClient.AssertProblemAsync(replay, HttpStatusCode.Unauthorized, "refresh_token_reused");
        }

        // Revoking an already revoked session logs nothing more.
        using (var again = await _pair.B.SendAsync(HttpMethod.Post, "/auth/logout-all", phone.AccessToken))
        {
        }

        var logged = await Database.QueryStringsAsync(_pair.First, "SELECT SessionId FROM rotor_revocations ORDER BY Sequence");
        Assert.Equal(
            new[] { single.SessionId, laptop.SessionId, phone.SessionId, reused.SessionId }.Order(),
            logged.Select(id => Guid.Parse(id!)).Order());
    }

    internal static IRevocationListener Listener(RotorApp app) => app.Services.GetRequiredService<IRevocationListener>();

    internal static async Task KillListenersAsync(RotorApp app)
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        await Database.ExecuteAsync(app, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'rotor-revocations' AND datname = '{database}'");
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Bound, $"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }

    /// <summary>Polls until the instance answers 401; returns how long that took (real time).</summary>
    internal static async Task<TimeSpan> AssertRefusedAsync(RotorClient client, string accessToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var me = await client.SendAsync(HttpMethod.Get, "/users/me", accessToken);
            if (me.StatusCode == HttpStatusCode.Unauthorized)
            {
                return clock.Elapsed;
            }

            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.True(clock.Elapsed < Bound, $"Still accepted after {clock.Elapsed.TotalMilliseconds:0} ms.");
            await Task.Yield();
        }
    }

    private Task KillListenersAsync() => KillListenersAsync(_pair.First);

    private async Task<NativeSession> ListeningSessionAsync()
    {
        var session = await _pair.A.NewNativeSessionAsync();
        await WaitUntilAsync(() => Listener(_pair.First).IsListening && Listener(_pair.Second).IsListening, "both instances listen");
        await AssertAcceptedOnSecondAsync(session.AccessToken);
        return session;
    }

    private Task<TimeSpan> AssertRefusedOnSecondAsync(string accessToken) => AssertRefusedAsync(_pair.B, accessToken);

    private Task AssertAcceptedOnSecondAsync(string accessToken) => AssertAcceptedAsync(_pair.B, accessToken);

    private Task AssertAcceptedOnFirstAsync(string accessToken) => AssertAcceptedAsync(_pair.A, accessToken);

    private static async Task AssertAcceptedAsync(RotorClient client, string accessToken)
    {
        using var me = await client.SendAsync(HttpMethod.Get, "/users/me", accessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }
}

using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Tokens;

/// <summary>
/// Signing keys rotate on their own: a new key is published before it signs, the old one stays published until every
/// token it signed has expired, then goes; two instances racing to rotate make one key. Periods here: access tokens
/// 5 min (+30 s skew), announce 10 min, key lifetime 30 min, checks every minute.
/// </summary>
public sealed class SigningKeyRotationTests : IDisposable
{
    private readonly TwoInstances _pair = new(directory => new RotorApp(KeyTestKit.Fleet(), directory: directory));

    public void Dispose() => _pair.Dispose();

    private void Advance(TimeSpan by)
    {
        _pair.First.Time.Advance(by);
        _pair.Second.Time.Advance(by);
    }

    [Fact]
    public async Task A_full_rotation_under_load_on_two_instances_costs_no_request_a_401()
    {
        const int Clients = 8;
        var sessions = new NativeSession[Clients];
        var expires = new DateTimeOffset[Clients];
        for (var i = 0; i < Clients; i++)
        {
            sessions[i] = await (i % 2 == 0 ? _pair.A : _pair.B).NewNativeSessionAsync();
            expires[i] = _pair.First.Time.GetUtcNow() + TimeSpan.FromMinutes(5);
        }

        var start = _pair.First.Time.GetUtcNow();
        var original = Assert.Single(await KeyTestKit.JwksKidsAsync(_pair.A));
        string[] previousJwks = [original];
        var signedBy = new List<(int Minute, string Kid)>();
        var unexpected = new List<string>();
        string? successor = null;

        for (var minute = 1; minute <= 40; minute++)
        {
            Advance(TimeSpan.FromMinutes(1));
            var now = _pair.First.Time.GetUtcNow();

            // Both instances check their keys while the clients refresh and call the API on both.
            var work = new List<Task> { KeyTestKit.MaintainAsync(_pair.First), KeyTestKit.MaintainAsync(_pair.Second) };
            for (var i = 0; i < Clients; i++)
            {
                var index = i;
                var minuteNow = minute;
                work.Add(Task.Run(async () =>
                {
                    var issuer = (index + minuteNow) % 2 == 0 ? _pair.A : _pair.B;
                    var user = issuer == _pair.A ? _pair.B : _pair.A;
                    for (var round = 0; round < 3; round++)
                    {
                        // Refresh a token that has less than two minutes left, as a client would.
                        if (expires[index] - now < TimeSpan.FromMinutes(2))
                        {
                            using var refreshed = await issuer.RefreshNativeAsync(sessions[index].RefreshToken);
                            if (refreshed.StatusCode != HttpStatusCode.OK)
                            {
                                lock (unexpected) { unexpected.Add($"minute {minuteNow}: refresh {(int)refreshed.StatusCode}"); }
                                return;
                            }

                            sessions[index] = NativeSession.From(await RotorClient.ReadJsonAsync(refreshed), sessions[index].Username);
                            expires[index] = now + TimeSpan.FromMinutes(5);
                            lock (signedBy) { signedBy.Add((minuteNow, KeyTestKit.Kid(sessions[index].AccessToken))); }
                        }

                        using var me = await user.SendAsync(HttpMethod.Get, "/users/me", sessions[index].AccessToken);
                        if (me.StatusCode != HttpStatusCode.OK)
                        {
                            lock (unexpected) { unexpected.Add($"minute {minuteNow}: /users/me {(int)me.StatusCode} with a token of kid {KeyTestKit.Kid(sessions[index].AccessToken)}"); }
                        }
                    }
                }));
            }

            await Task.WhenAll(work);
            var jwksA = await KeyTestKit.JwksKidsAsync(_pair.A);
            Assert.Equal(jwksA, await KeyTestKit.JwksKidsAsync(_pair.B));

            // Every kid that signed this minute was published by both instances a minute ago (and so well before).
            foreach (var (_, kid) in signedBy.Where(s => s.Minute == minute))
            {
                Assert.Contains(kid, previousJwks);
            }

            if (minute < 20)
            {
                Assert.Equal([original], jwksA);
            }
            else if (minute < 35)
            {
                // Announced at minute 20, signing from minute 30; the original stays until 30 + 5 min + 30 s.
                Assert.Equal(2, jwksA.Length);
                Assert.Contains(original, jwksA);
                successor = jwksA.Single(k => k != original);
            }
            else if (minute >= 36)
            {
                Assert.Equal([successor!], jwksA);
            }

            previousJwks = jwksA;
        }

        Assert.Empty(unexpected);
        Assert.NotNull(successor);
        Assert.All(signedBy.Where(s => s.Minute < 30), s => Assert.Equal(original, s.Kid));
        Assert.All(signedBy.Where(s => s.Minute >= 30), s => Assert.Equal(successor, s.Kid));
        Assert.Contains(signedBy, s => s.Minute is >= 27 and < 30);
        Assert.Equal(["1"], await Database.QueryStringsAsync(_pair.First, "SELECT Generation FROM rotor_keys WHERE Kind = 'signing'"));
        Assert.True(_pair.First.Time.GetUtcNow() - start >= TimeSpan.FromMinutes(40));
    }

    [Fact]
    public async Task A_token_signed_by_the_old_key_just_before_the_switch_works_until_it_expires_and_then_the_key_goes()
    {
        // Announced at minute 20 for minute 30 (a key first seen late is announced a full period from then).
        Advance(TimeSpan.FromMinutes(20));
        await KeyTestKit.MaintainAsync(_pair.First);
        Advance(TimeSpan.FromMinutes(9));
        await KeyTestKit.MaintainAsync(_pair.First);
        await KeyTestKit.MaintainAsync(_pair.Second);
        var old = await _pair.A.NewNativeSessionAsync();
        var oldKid = KeyTestKit.Kid(old.AccessToken);

        Advance(TimeSpan.FromMinutes(1));
        await KeyTestKit.MaintainAsync(_pair.First);
        await KeyTestKit.MaintainAsync(_pair.Second);
        var fresh = await _pair.B.NewNativeSessionAsync();
        Assert.NotEqual(oldKid, KeyTestKit.Kid(fresh.AccessToken));

        // 4 min 59 s after it was signed (and after the switch), the old token still works on both instances.
        Advance(TimeSpan.FromSeconds(239));
        foreach (var client in new[] { _pair.A, _pair.B })
        {
            using var me = await client.SendAsync(HttpMethod.Get, "/users/me", old.AccessToken);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        // Once every token the old key signed has expired (switch + 5 min + 30 s skew), it leaves the JWKS.
        Advance(TimeSpan.FromSeconds(92));
        await KeyTestKit.MaintainAsync(_pair.First);
        await KeyTestKit.MaintainAsync(_pair.Second);
        Assert.DoesNotContain(oldKid, await KeyTestKit.JwksKidsAsync(_pair.A));
        Assert.DoesNotContain(oldKid, await KeyTestKit.JwksKidsAsync(_pair.B));
        Assert.Equal(["1"], await Database.QueryStringsAsync(_pair.First, "SELECT Generation FROM rotor_keys WHERE Kind = 'signing'"));
    }

    [Fact]
    public async Task Two_instances_racing_to_rotate_make_one_new_key()
    {
        Advance(TimeSpan.FromMinutes(21));

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => KeyTestKit.MaintainAsync(i % 2 == 0 ? _pair.First : _pair.Second))));

        Assert.Equal(["0", "1"], await Database.QueryStringsAsync(_pair.First, "SELECT Generation FROM rotor_keys WHERE Kind = 'signing' ORDER BY Generation"));
        var kids = await KeyTestKit.JwksKidsAsync(_pair.A);
        Assert.Equal(2, kids.Length);
        Assert.Equal(kids, await KeyTestKit.JwksKidsAsync(_pair.B));
    }

    [Fact]
    public async Task The_background_check_rotates_on_its_own_as_the_clock_advances()
    {
        using var app = new RotorApp(KeyTestKit.Fleet());
        using var client = app.Client();
        var original = Assert.Single(await KeyTestKit.JwksKidsAsync(client));
        for (var minute = 0; minute < 21; minute++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(20);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string[] kids;
        while ((kids = await KeyTestKit.JwksKidsAsync(client)).Length < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2, kids.Length);
        Assert.Contains(original, kids);
    }

    [Fact]
    public async Task The_jwks_is_cached_briefly_compared_with_the_announce_period()
    {
        using var response = await _pair.A.SendAsync(HttpMethod.Get, "/.well-known/jwks.json", null);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl!.MaxAge);
        Assert.True(response.Headers.CacheControl.MaxAge * 2 <= TimeSpan.FromMinutes(10));
    }
}

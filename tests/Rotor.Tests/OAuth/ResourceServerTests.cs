using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using Rotor.Tests.Infrastructure;
using Rotor.Tests.Tokens;

namespace Rotor.Tests.OAuth;

/// <summary>
/// Rotor and an API built on ASP.NET Core's own <c>AddJwtBearer</c>, both on Kestrel over real loopback HTTP. The API
/// knows only Rotor's RFC 8414 document: it validates Rotor's access tokens, keeps validating after Rotor rotates its
/// signing key, and drops the retired key once Rotor does. Key periods as in <see cref="SigningKeyRotationTests"/>:
/// tokens 5 min, announce 10 min, key lifetime 30 min.
/// </summary>
public sealed class ResourceServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_AddJwtBearer_api_pointed_at_the_metadata_validates_rotor_tokens_across_a_signing_key_rotation()
    {
        var ports = ResourceServer.FreePorts(3);
        var rotorUrl = $"http://127.0.0.1:{ports[0]}";
        using var rotor = new RotorApp(KeyTestKit.Fleet(more: new Dictionary<string, string?> { ["Rotor:Issuer"] = rotorUrl, ["urls"] = rotorUrl }));
        rotor.UseKestrel();
        rotor.StartServer();
        using var client = new RotorClient(new HttpClient { BaseAddress = new Uri(rotorUrl) }, rotor);
        await using var api = await ResourceServer.StartAsync($"http://127.0.0.1:{ports[1]}", rotorUrl, "rotor-api", rotor.Time);

        var session = await client.NewNativeSessionAsync();
        var oldKid = KeyTestKit.Kid(session.AccessToken);
        Assert.Equal((HttpStatusCode.OK, session.UserId), await api.WhoAmIAsync(session.AccessToken));
        // The API checks what it was told to: a token altered by one byte, or one for another audience, is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.WhoAmIAsync(session.AccessToken[..^2] + (session.AccessToken[^2] == 'A' ? "B" : "A") + session.AccessToken[^1])).Status);
        await using (var otherAudience = await ResourceServer.StartAsync($"http://127.0.0.1:{ports[2]}", rotorUrl, "someone-else", rotor.Time))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await otherAudience.WhoAmIAsync(session.AccessToken)).Status);
        }

        // Rotor announces a successor at minute 20 and signs with it from minute 30.
        rotor.Time.Advance(TimeSpan.FromMinutes(20));
        await KeyTestKit.MaintainAsync(rotor);
        rotor.Time.Advance(TimeSpan.FromMinutes(10));
        await KeyTestKit.MaintainAsync(rotor);
        var fresh = await client.NativeLoginAsync(session.Username);
        var newKid = KeyTestKit.Kid(fresh.AccessToken);
        Assert.NotEqual(oldKid, newKid);

        // The API has not looked at the metadata since it started: the unknown kid makes it refetch (in the
        // background, so the request that noticed may still be refused), and from then on the new key validates.
        var refused = 0;
        var clock = Stopwatch.StartNew();
        while ((await api.WhoAmIAsync(fresh.AccessToken)).Status != HttpStatusCode.OK)
        {
            refused++;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"still refused after {refused} attempts");
            await Task.Delay(100);
        }

        // How many and how long depends on the machine (the refetch is two HTTP calls): reported, not asserted.
        output.WriteLine($"new key: {refused} refusals, {clock.ElapsedMilliseconds} ms until the API accepted it");
        Assert.Equal((HttpStatusCode.OK, session.UserId), await api.WhoAmIAsync(fresh.AccessToken));
        // The old key is still published while its tokens live, so a token it signed a moment ago still works.
        var lastOld = session.AccessToken;
        Assert.Contains(oldKid, await api.RefetchedKidsAsync());

        // 5 min + 30 s after the switch every token the old key signed has expired and Rotor drops it; the API's next
        // refetch (an unknown kid, or AutomaticRefreshInterval) drops it too.
        rotor.Time.Advance(TimeSpan.FromMinutes(6));
        await KeyTestKit.MaintainAsync(rotor);
        Assert.Equal([newKid], await KeyTestKit.JwksKidsAsync(client));
        clock.Restart();
        string[] kids;
        while (!(kids = await api.RefetchedKidsAsync()).SequenceEqual([newKid]))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the API still holds {string.Join(", ", kids)}");
            await Task.Delay(200);
        }

        output.WriteLine($"retired key: gone from the API's configuration {clock.ElapsedMilliseconds} ms after the refetch was asked for");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.WhoAmIAsync(lastOld)).Status);
        var latest = await client.NativeLoginAsync(session.Username);
        Assert.Equal((HttpStatusCode.OK, session.UserId), await api.WhoAmIAsync(latest.AccessToken));
    }
}

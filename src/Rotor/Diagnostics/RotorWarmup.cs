using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Http;
using Rotor.Security;
using Rotor.Sessions;
using Rotor.Storage;
using Rotor.Tokens;

namespace Rotor.Diagnostics;

/// <summary>
/// Runs the refresh path in process at start-up (<see cref="RotorWarmupOptions"/>) so the JIT has compiled and
/// re-compiled it before the load balancer sends traffic: until it is done, <see cref="RotorWarmupHealthCheck"/>
/// keeps <c>/healthz/ready</c> at 503. Each round is what a refresh does, minus what would leave a trace: the body
/// is read as a request's, the rotation statement runs against the real database for a session id that exists
/// nowhere (it matches no row, so nothing is written), and a token answer is written to a throw-away response;
/// no endpoint filter runs, so no rate limit is counted, and SessionService is bypassed, so no metric or security
/// event is recorded. Once the server listens on a plain-http address, each round also sends its access token to
/// <c>GET /users/me</c> over loopback, which warms what only a real request runs (the server's HTTP parsing, routing,
/// middleware, the endpoint filter, the JSON answer) and reads nothing from the database.
/// </summary>
internal sealed partial class RotorWarmup(
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    RotorWarmupState state,
    TimeProvider time,
    IOptions<RotorOptions> options,
    ILogger<RotorWarmup> logger) : BackgroundService
{
    private static readonly RotorUserInfo WarmupUser = new("rotor-warmup", "rotor-warmup", null);
    private int _rounds;
    private int _failures;
    private HttpClient? _loopback;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var warmup = options.Value.Warmup;
        if (!warmup.Enabled)
        {
            return;
        }

        // Once the server listens: the rounds then include real requests, and do not slow the start-up itself down.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        _loopback = LoopbackClient();
        var since = time.GetTimestamp();
        WarmupStarted(logger, warmup.Duration, warmup.Iterations, warmup.Concurrency, _loopback is not null);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, warmup.Concurrency).Select(_ => WorkAsync(since, warmup, stoppingToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            _loopback?.Dispose();
        }

        state.Complete();
        WarmupCompleted(logger, _rounds, _failures, time.GetElapsedTime(since));
    }

    private async Task WorkAsync(long started, RotorWarmupOptions warmup, CancellationToken stoppingToken)
    {
        while (time.GetElapsedTime(started) < warmup.Duration && !stoppingToken.IsCancellationRequested)
        {
            if (warmup.Iterations is { } most && Interlocked.Increment(ref _rounds) > most)
            {
                Interlocked.Decrement(ref _rounds);
                return;
            }

            if (warmup.Iterations is null)
            {
                Interlocked.Increment(ref _rounds);
            }

            try
            {
                await RoundAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A database that is not there yet: readiness says so through its own check; the warm-up goes on warming the rest.
                if (Interlocked.Increment(ref _failures) == 1)
                {
                    WarmupRoundFailed(logger, ex);
                }
            }
        }
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var codec = provider.GetRequiredService<RefreshTokenCodec>();
        var rotor = options.Value;
        var now = time.GetUtcNow();
        var sessionId = Guid.NewGuid();
        var native = (_rounds & 1) == 0;

        var request = new DefaultHttpContext { RequestServices = provider };
        var body = Encoding.UTF8.GetBytes($$"""{"refreshToken":"{{codec.Create(sessionId, 1)}}"}""");
        request.Request.Method = HttpMethods.Post;
        request.Request.ContentType = "application/json";
        request.Request.ContentLength = body.Length;
        request.Request.Body = new MemoryStream(body);
        var (refresh, _) = await JsonBody.ReadAsync(request.Request, RotorJsonContext.Default.RefreshRequest, rotor.MaxRequestBodyBytes, optional: true).ConfigureAwait(false);
        if (!codec.TryParse(refresh?.RefreshToken, out var parsedId, out var generation))
        {
            throw new InvalidOperationException("The warm-up's own refresh token did not parse.");
        }

        // The session exists nowhere: the compare-and-swap matches no row and the store answers Invalid.
        await provider.GetRequiredService<IRotorStore>().RotateAsync(
            new RotationRequest(parsedId, generation, native ? TokenResults.Native : TokenResults.Browser, now, now + rotor.RefreshTokenLifetime, now - rotor.RotationGracePeriod),
            cancellationToken).ConfigureAwait(false);

        var access = provider.GetRequiredService<AccessTokenIssuer>().Issue(WarmupUser.Id, WarmupUser.UserName, WarmupUser.Email, sessionId, now, now);
        var tokens = new SessionTokens(access.Token, access.ExpiresAt, codec.Create(sessionId, generation + 1), now + rotor.RefreshTokenLifetime, sessionId, WarmupUser);
        request.Response.Body = Stream.Null;
        await TokenResults.Ok(request, provider.GetRequiredService<RefreshCookie>(), tokens, native ? TokenResults.Native : TokenResults.Browser, now)
            .ExecuteAsync(request).ConfigureAwait(false);

        // The bearer handler, as a /users/me would run it.
        var bearer = new DefaultHttpContext { RequestServices = provider };
        bearer.Request.Headers.Authorization = "Bearer " + access.Token;
        await bearer.AuthenticateAsync(RotorAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);

        if (_loopback is { } client)
        {
            using var me = new HttpRequestMessage(HttpMethod.Get, "users/me");
            me.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", access.Token);
            using var answer = await client.SendAsync(me, cancellationToken).ConfigureAwait(false);
            await answer.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A client for the server's own plain-http address on loopback; null when it has none (https only, or a test server).</summary>
    private HttpClient? LoopbackClient()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            // Kestrel reports what it bound, e.g. http://127.0.0.1:5080, http://[::]:8080 or http://+:80.
            if (!address.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var bound = BindingAddress.Parse(address);
            var host = bound.Host switch
            {
                "+" or "*" or "0.0.0.0" => "127.0.0.1",
                "[::]" or "::" => "[::1]",
                var named => named,
            };
            return new HttpClient { BaseAddress = new Uri($"http://{host}:{bound.Port}/"), Timeout = TimeSpan.FromSeconds(5) };
        }

        return null;
    }

    [LoggerMessage(181, LogLevel.Information, "Warming up before readiness: for {Duration} at most, {Iterations} rounds at most, {Concurrency} at once; over loopback HTTP too: {OverHttp}.")]
    private static partial void WarmupStarted(ILogger logger, TimeSpan duration, int? iterations, int concurrency, bool overHttp);

    [LoggerMessage(182, LogLevel.Information, "Warm-up done: {Rounds} rounds ({Failures} failed) in {Elapsed}; /healthz/ready now follows the database.")]
    private static partial void WarmupCompleted(ILogger logger, int rounds, int failures, TimeSpan elapsed);

    [LoggerMessage(183, LogLevel.Warning, "A warm-up round failed; the warm-up goes on (only the first failure is logged).")]
    private static partial void WarmupRoundFailed(ILogger logger, Exception exception);
}

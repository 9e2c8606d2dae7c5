using System.Text;
using Microsoft.AspNetCore.Authentication;
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
/// event is recorded.
/// </summary>
internal sealed partial class RotorWarmup(
    IServiceProvider services,
    RotorWarmupState state,
    TimeProvider time,
    IOptions<RotorOptions> options,
    ILogger<RotorWarmup> logger) : BackgroundService
{
    private static readonly RotorUserInfo WarmupUser = new("rotor-warmup", "rotor-warmup", null);
    private int _rounds;
    private int _failures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var warmup = options.Value.Warmup;
        if (!warmup.Enabled)
        {
            return;
        }

        // Off the start-up path: the host finishes starting (and answers /healthz/live) while this runs.
        await Task.Yield();
        var started = time.GetTimestamp();
        WarmupStarted(logger, warmup.Duration, warmup.Iterations, warmup.Concurrency);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, warmup.Concurrency).Select(_ => WorkAsync(started, warmup, stoppingToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        state.Complete();
        WarmupCompleted(logger, _rounds, _failures, time.GetElapsedTime(started));
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
    }

    [LoggerMessage(181, LogLevel.Information, "Warming up before readiness: for {Duration} at most, {Iterations} rounds at most, {Concurrency} at once.")]
    private static partial void WarmupStarted(ILogger logger, TimeSpan duration, int? iterations, int concurrency);

    [LoggerMessage(182, LogLevel.Information, "Warm-up done: {Rounds} rounds ({Failures} failed) in {Elapsed}; /healthz/ready now follows the database.")]
    private static partial void WarmupCompleted(ILogger logger, int rounds, int failures, TimeSpan elapsed);

    [LoggerMessage(183, LogLevel.Warning, "A warm-up round failed; the warm-up goes on (only the first failure is logged).")]
    private static partial void WarmupRoundFailed(ILogger logger, Exception exception);
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace Rotor.Fleet.Tests;

/// <summary>
/// Sessions refreshing in a loop through one address, each as Rotor's clients do: a 200 replaces both tokens; a 401 ends
/// the session (counted as lost); anything else (no answer, 502, 503, 429) keeps the tokens and retries the same refresh
/// token after Retry-After, or a short back-off when there is none. Every outcome is counted with its time. With a
/// <paramref name="fallback"/>, a session whose target stops answering (no connection) goes on there, as a client with a
/// list of servers would.
/// </summary>
public sealed class RefreshLoad(FleetClient client, Uri target, IReadOnlyList<FleetSession> sessions, Uri? fallback = null)
{
    private readonly ConcurrentDictionary<string, Uri> _movedTo = new();
    private static readonly TimeSpan BackOff = TimeSpan.FromMilliseconds(100);
    private int _succeeded;
    private int _meUnauthorized;

    /// <summary>Since the load started.</summary>
    public Stopwatch Clock { get; } = new();

    /// <summary>Refreshes that got no 200, with when (since <see cref="Clock"/> started) and what.</summary>
    public ConcurrentQueue<Failure> Failures { get; } = new();

    /// <summary>Sessions that got a 401, with its code.</summary>
    public ConcurrentDictionary<string, string> Lost { get; } = new();

    public int Succeeded => _succeeded;

    /// <summary>GET /users/me answers of 401 to an access token just issued (with <c>checkAccessTokens</c>).</summary>
    public int AccessTokensRefused => _meUnauthorized;

    /// <summary>Runs until <paramref name="stop"/>; with <paramref name="checkAccessTokens"/> every new access token calls /users/me.</summary>
    public async Task RunAsync(CancellationToken stop, bool checkAccessTokens = false)
    {
        Clock.Start();
        await Task.WhenAll(sessions.Select(async session =>
        {
            while (!stop.IsCancellationRequested && !Lost.ContainsKey(session.Id))
            {
                await StepAsync(session, checkAccessTokens, stop);
            }
        }));
    }

    /// <summary>
    /// After the load: every session not lost refreshes once more, retrying as a client would for up to
    /// <paramref name="patience"/>. Returns the sessions that could not (lost, or no 200 in time).
    /// </summary>
    public async Task<string[]> FinishAsync(TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        var failed = new ConcurrentBag<string>();
        await Task.WhenAll(sessions.Where(s => !Lost.ContainsKey(s.Id)).Select(async session =>
        {
            while (!deadline.IsCancellationRequested)
            {
                if (await StepAsync(session, checkAccessTokens: true, deadline.Token))
                {
                    return;
                }

                if (Lost.ContainsKey(session.Id))
                {
                    break;
                }
            }

            failed.Add(session.Id);
        }));
        return failed.Concat(Lost.Keys).Distinct().ToArray();
    }

    /// <summary>Failures per status between <paramref name="from"/> and <paramref name="to"/>, e.g. "502×3, 0×1".</summary>
    public string Describe(TimeSpan from, TimeSpan to) => string.Join(", ", Failures.Where(f => f.At >= from && f.At <= to)
        .GroupBy(f => f.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")) is { Length: > 0 } text ? text : "none";

    private async Task<bool> StepAsync(FleetSession session, bool checkAccessTokens, CancellationToken stop)
    {
        // A refresh once sent runs to its answer (stopping only ends the loop), so its outcome is always counted.
        var to = _movedTo.TryGetValue(session.Id, out var moved) ? moved : target;
        var answer = await client.RefreshAsync(to, session.RefreshToken, CancellationToken.None);
        if (answer.Status == 200)
        {
            session.AccessToken = answer.AccessToken!;
            session.RefreshToken = answer.RefreshToken!;
            Interlocked.Increment(ref _succeeded);
            if (checkAccessTokens && await client.MeAsync(to, session.AccessToken, CancellationToken.None) == 401)
            {
                Interlocked.Increment(ref _meUnauthorized);
            }

            return true;
        }

        Failures.Enqueue(new Failure(Clock.Elapsed, answer.Status, answer.Code, answer.RetryAfter is not null));
        if (answer.Status == 401)
        {
            Lost[session.Id] = answer.Code ?? "401";
            return false;
        }

        if (answer.Status == 0 && fallback is not null)
        {
            _movedTo[session.Id] = fallback;
        }

        try
        {
            await Task.Delay(answer.RetryAfter ?? BackOff, stop);
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }

    /// <summary>One refresh that got no 200.</summary>
    public sealed record Failure(TimeSpan At, int Status, string? Code, bool HadRetryAfter);
}

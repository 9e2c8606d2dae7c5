using System.Collections.Concurrent;

namespace Rotor.Client.Tests.Infrastructure;

/// <summary>
/// Test-only eyes and hands inside the real server: counts the refresh requests that reach it, can make them answer
/// 503 or hold them until released, and records requests marked with <see cref="RecordHeader"/>.
/// </summary>
public sealed class ServerProbe
{
    public const string RecordHeader = "X-Test-Record";

    private int _refreshCount;
    private bool _refreshUnavailable;
    private Task? _refreshGate;
    private TaskCompletionSource _refreshArrived = NewSignal();

    public int RefreshCount => Volatile.Read(ref _refreshCount);

    /// <summary>When set, /auth/refresh answers 503 with Retry-After: 1 and never reaches Rotor.</summary>
    public bool RefreshUnavailable
    {
        get => Volatile.Read(ref _refreshUnavailable);
        set => Volatile.Write(ref _refreshUnavailable, value);
    }

    /// <summary>When set, /auth/refresh waits for this task before Rotor sees it.</summary>
    public Task? RefreshGate
    {
        get => Volatile.Read(ref _refreshGate);
        set => Volatile.Write(ref _refreshGate, value);
    }

    public ConcurrentQueue<RecordedRequest> Recorded { get; } = new();

    public ConcurrentQueue<RecordedRequest> AllRequests { get; } = new();

    /// <summary>Completes when the next refresh reaches the server.</summary>
    public Task RefreshArrived => Volatile.Read(ref _refreshArrived).Task;

    internal int OnRefresh()
    {
        var count = Interlocked.Increment(ref _refreshCount);
        Interlocked.Exchange(ref _refreshArrived, NewSignal()).TrySetResult();
        return count;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public sealed record RecordedRequest(string Method, string Path, string? Authorization, string? ContentType, byte[] Body, string? Dpop = null);

namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test-only switch in front of the real server's pipeline: while <see cref="Unavailable"/> is set,
/// <c>POST /auth/refresh</c> answers 503 problem+json with Retry-After and never reaches Rotor.
/// It also counts the refresh requests that arrive, to check what the browser sent.
/// </summary>
public sealed class RefreshSwitch
{
    private int _unavailable;
    private int _arrived;
    private int _refused;

    /// <summary>Whether refreshes are answered 503 (the server is "ill").</summary>
    public bool Unavailable
    {
        get => Volatile.Read(ref _unavailable) == 1;
        set => Volatile.Write(ref _unavailable, value ? 1 : 0);
    }

    /// <summary>Refresh requests that reached the server, refused or not.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Refresh requests answered 503 by this switch.</summary>
    public int Refused => Volatile.Read(ref _refused);

    internal void OnArrived() => Interlocked.Increment(ref _arrived);

    internal void OnRefused() => Interlocked.Increment(ref _refused);
}

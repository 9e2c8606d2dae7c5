namespace Rotor.Sessions;

/// <summary>
/// A push feed of revocations made by other instances (PostgreSQL's LISTEN/NOTIFY in Rotor.PostgreSql), which adds
/// them to this instance's <see cref="SessionRevocationList"/> as they commit. Without one, the revocation poll
/// (<see cref="RotorOptions.RevocationPollInterval"/>) is the only way other instances' revocations arrive.
/// </summary>
internal interface IRevocationListener
{
    /// <summary>True while the feed is connected, listening and caught up, so this instance misses nothing.</summary>
    bool IsListening { get; }

    /// <summary>Since when the feed has not been listening (its loss, or the start when it never listened); meaningless while <see cref="IsListening"/>.</summary>
    DateTimeOffset DownSince { get; }
}

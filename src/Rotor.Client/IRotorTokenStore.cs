namespace Rotor.Client;

/// <summary>
/// Where a <see cref="RotorSession"/> keeps its tokens. The session reads the store once (on the first request, or
/// <see cref="RotorSession.RestoreAsync"/>) and then works from memory, writing every change back one at a time.
/// Give each session its own store.
/// </summary>
public interface IRotorTokenStore
{
    /// <summary>Reads the stored tokens, or <c>null</c> when there are none (or they can no longer be read).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<RotorTokens?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored tokens.</summary>
    /// <param name="tokens">The tokens to keep.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SaveAsync(RotorTokens tokens, CancellationToken cancellationToken);

    /// <summary>Forgets the stored tokens.</summary>
    /// <param name="cancellationToken">Cancels the removal.</param>
    ValueTask ClearAsync(CancellationToken cancellationToken);
}

namespace Rotor.Client;

/// <summary>The default <see cref="IRotorTokenStore"/>: tokens live in memory and end with the process.</summary>
public sealed class RotorMemoryTokenStore : IRotorTokenStore
{
    private volatile RotorTokens? _tokens;

    /// <summary>Creates an empty store.</summary>
    public RotorMemoryTokenStore()
    {
    }

    /// <summary>Creates a store that already holds <paramref name="tokens"/>, for example handed over from another store.</summary>
    /// <param name="tokens">The tokens to start with.</param>
    public RotorMemoryTokenStore(RotorTokens? tokens) => _tokens = tokens;

    /// <inheritdoc />
    public ValueTask<RotorTokens?> LoadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_tokens);

    /// <inheritdoc />
    public ValueTask SaveAsync(RotorTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        _tokens = null;
        return ValueTask.CompletedTask;
    }
}

namespace Rotor.Tokens;

/// <summary>
/// Persists Rotor's keys. Adding a generation that already exists of a kind must fail (return false) rather than
/// overwrite: that is how two instances racing to rotate end up with one new key.
/// </summary>
internal interface IRotorKeyStore
{
    Task<IReadOnlyList<StoredKey>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="key"/>; false when its kind already has that generation (another instance won).</summary>
    Task<bool> TryAddAsync(StoredKey key, CancellationToken cancellationToken);

    /// <summary>Removes a retired key; removing one already gone is not an error.</summary>
    Task RemoveAsync(string kind, int generation, CancellationToken cancellationToken);
}

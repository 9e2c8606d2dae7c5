namespace Rotor.Tokens;

/// <summary>
/// One generation of one kind of key, as a store holds it (material in the clear here; a store may encrypt it).
/// A key is used from <paramref name="ActivatesAt"/> until the next generation activates, and accepted after that
/// until everything it produced has expired.
/// </summary>
internal sealed record StoredKey(string Kind, int Generation, DateTimeOffset CreatedAt, DateTimeOffset ActivatesAt, byte[] Material);

namespace Rotor.Storage;

/// <summary>
/// A row of <c>rotor_keys</c>: one generation of one kind of key, its material encrypted under the key-encryption key
/// from configuration (never stored here). The primary key (kind, generation) is what lets only one of several
/// instances racing to rotate add the next generation.
/// </summary>
public sealed class RotorKeyRecord
{
    /// <summary><c>signing</c>, <c>refresh</c> or <c>account</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>0 for the first key of a kind, one more for each rotation.</summary>
    public int Generation { get; set; }

    /// <summary>When the key was made.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the key starts being used (it is published from <see cref="CreatedAt"/>).</summary>
    public DateTimeOffset ActivatesAt { get; set; }

    /// <summary>The key, encrypted with AES-256-GCM: a format byte, then (under a certificate) the RSA-wrapped AES key, then nonce, tag and ciphertext.</summary>
    public byte[] Material { get; set; } = [];
}

namespace Rotor.Storage;

/// <summary>
/// A DPoP proof already accepted (RFC 9449 §11.1), kept until it could no longer be accepted anyway, so that a copy
/// of it is refused by every instance on the database. Rows past <see cref="ExpiresAt"/> are purged.
/// </summary>
public sealed class RotorDpopProof
{
    /// <summary>A SHA-256 of the proof key's thumbprint and the proof's <c>jti</c>, base64url.</summary>
    public string Key { get; set; } = "";

    /// <summary>When the proof's <c>iat</c> leaves the accepted window and the row may be deleted.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

namespace Rotor.Dpop;

/// <summary>
/// What a request's <c>DPoP</c> header proved: nothing (no header), the thumbprint of a key that signed a valid proof,
/// or why the proof was refused (<see cref="Http.RotorErrorCodes.InvalidDpopProof"/> or
/// <see cref="Http.RotorErrorCodes.UseDpopNonce"/>, with a description safe to show the client).
/// </summary>
internal readonly record struct DpopProof(string? Thumbprint, string? ErrorCode, string? Failure)
{
    /// <summary>No <c>DPoP</c> header (or DPoP is turned off).</summary>
    public static DpopProof Absent => default;

    /// <summary>Whether the request carried a proof, valid or not.</summary>
    public bool Present => Thumbprint is not null || ErrorCode is not null;

    /// <summary>Whether the proof is valid; then <see cref="Thumbprint"/> is its key's RFC 7638 thumbprint.</summary>
    public bool IsValid => Thumbprint is not null && ErrorCode is null;

    public static DpopProof Valid(string thumbprint) => new(thumbprint, null, null);

    public static DpopProof Invalid(string failure) => new(null, Http.RotorErrorCodes.InvalidDpopProof, failure);

    public static DpopProof NonceNeeded(string failure) => new(null, Http.RotorErrorCodes.UseDpopNonce, failure);
}

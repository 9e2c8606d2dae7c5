namespace Rotor.OAuth;

/// <summary>
/// The JWS algorithms a DPoP proof (RFC 9449) may be signed with: asymmetric only, as §4.3 requires. The one list
/// both the proof check and the metadata document (<c>dpop_signing_alg_values_supported</c>) read.
/// </summary>
internal static class DpopSigningAlgorithms
{
    /// <summary>ES256, ES384, ES512, PS256, RS256.</summary>
    public static readonly IReadOnlyList<string> Supported = ["ES256", "ES384", "ES512", "PS256", "RS256"];
}

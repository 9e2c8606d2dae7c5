namespace Rotor.Dpop;

/// <summary>
/// DPoP (RFC 9449), bound from <c>Rotor:Dpop</c>: a sign-in that carries a <c>DPoP</c> proof binds its session to the
/// proof's key, and from then on every refresh and every use of its access tokens needs a fresh proof from that key.
/// </summary>
public sealed class RotorDpopOptions
{
    /// <summary>The algorithms accepted when <see cref="AllowedAlgorithms"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultAlgorithms = ["ES256", "ES384", "ES512", "PS256", "RS256"];

    /// <summary>The asymmetric algorithms Rotor can check a proof with; <see cref="AllowedAlgorithms"/> must be among them.</summary>
    public static readonly IReadOnlyList<string> SupportedAlgorithms = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"];

    /// <summary>
    /// Whether DPoP proofs are read at all. When false, <c>DPoP</c> headers and the <c>DPoP</c> authorization scheme are
    /// ignored (sessions bound earlier can no longer refresh: their users sign in again). Default: true.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The proof algorithms accepted (also announced in <c>WWW-Authenticate: DPoP algs="…"</c>). Default: empty, which
    /// means ES256, ES384, ES512, PS256 and RS256. <c>none</c> and the symmetric <c>HS*</c> are never accepted.
    /// </summary>
    public IList<string> AllowedAlgorithms { get; } = [];

    /// <summary>
    /// How old a proof may be (its <c>iat</c> before the server's clock), and so how long its <c>jti</c> is remembered to
    /// refuse a replay. Default: 60 seconds; between 5 seconds and 10 minutes.
    /// </summary>
    public TimeSpan ProofLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How far a proof's <c>iat</c> may be ahead of the server's clock. Default: 5 seconds; at most 5 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether every proof must carry a server nonce (RFC 9449 §8): a proof without a current one is answered
    /// <c>use_dpop_nonce</c> with a <c>DPoP-Nonce</c> header to retry with. Limits proofs made ahead of time by code
    /// that had the key for a while. Default: false (a nonce that is sent is checked either way).
    /// </summary>
    public bool RequireNonce { get; set; }

    /// <summary>
    /// How long a server nonce stays current; one is accepted for up to twice this. Every instance sharing the key ring
    /// makes and accepts the same nonces. Default: 5 minutes; between 10 seconds and 1 hour.
    /// </summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The origin (scheme://host[:port]) clients address Rotor by, which the proofs' <c>htu</c> must name. Default: unset,
    /// which takes the request's scheme and host (the scheme from <c>X-Forwarded-Proto</c> when Rotor:ForwardedHeaders
    /// trusts the proxy). Set it behind a proxy that rewrites the Host header.
    /// </summary>
    public string? Origin { get; set; }

    /// <summary>The algorithms in force: <see cref="AllowedAlgorithms"/>, or <see cref="DefaultAlgorithms"/> when it is empty.</summary>
    internal IReadOnlyList<string> EffectiveAlgorithms => AllowedAlgorithms.Count == 0 ? DefaultAlgorithms : [.. AllowedAlgorithms.Select(a => a.Trim())];
}

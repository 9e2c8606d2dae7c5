using System.Text.Json.Serialization;

namespace Rotor.Contracts;

/// <summary>The authorization server metadata document, <c>GET /.well-known/oauth-authorization-server</c> (RFC 8414 §2).</summary>
/// <param name="Issuer">Exactly the <c>iss</c> of the access tokens (<c>Rotor:Issuer</c>).</param>
/// <param name="TokenEndpoint">Absolute URL of <c>POST /oauth/token</c>.</param>
/// <param name="RevocationEndpoint">Absolute URL of <c>POST /oauth/revoke</c>.</param>
/// <param name="JwksUri">Absolute URL of the public signing keys.</param>
/// <param name="GrantTypesSupported">Only <c>refresh_token</c>: sessions start at <c>POST /auth/login</c>.</param>
/// <param name="ResponseTypesSupported">Empty: there is no authorization endpoint.</param>
/// <param name="TokenEndpointAuthMethodsSupported"><c>none</c>: every client is a public client.</param>
/// <param name="RevocationEndpointAuthMethodsSupported"><c>none</c>: possession of the token is the authority.</param>
/// <param name="DpopSigningAlgValuesSupported">The JWS algorithms accepted in DPoP proofs (RFC 9449 §5.1); absent when Rotor:Dpop:Enabled is false.</param>
public sealed record OAuthMetadataResponse(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("revocation_endpoint_auth_methods_supported")] IReadOnlyList<string> RevocationEndpointAuthMethodsSupported,
    [property: JsonPropertyName("dpop_signing_alg_values_supported")] IReadOnlyList<string>? DpopSigningAlgValuesSupported);

using System.Text.Json.Serialization;

namespace Rotor.Contracts;

/// <summary>An error of the <c>/oauth/*</c> endpoints (RFC 6749 §5.2).</summary>
/// <param name="Error">The OAuth error code, such as <c>invalid_grant</c> or <c>invalid_request</c>.</param>
/// <param name="ErrorDescription">A sentence for the developer: what was wrong and what to do.</param>
public sealed record OAuthErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

using Rotor.OpenApi;

namespace Microsoft.AspNetCore.OpenApi;

/// <summary>Rotor's additions to an OpenAPI document.</summary>
public static class RotorOpenApiOptionsExtensions
{
    /// <summary>
    /// Describes Rotor's endpoints from their endpoint metadata: every problem+json answer an operation can give,
    /// with its error codes (an enum per status) and <c>Retry-After</c> where it applies; the security schemes
    /// (<c>Bearer</c> access tokens, the <c>RefreshCookie</c>, <c>DPoP</c>) and which operations need them; and the
    /// endpoints that have no handler method (the health checks), which the generator would leave out.
    /// Endpoints added to <c>MapRotor</c> later appear without changes here.
    /// </summary>
    public static OpenApiOptions AddRotorDescriptions(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddOperationTransformer<RotorOperationTransformer>();
        options.AddDocumentTransformer<RotorDocumentTransformer>();
        return options;
    }
}

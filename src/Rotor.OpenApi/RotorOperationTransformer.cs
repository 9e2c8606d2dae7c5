using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Rotor.Http;

namespace Rotor.OpenApi;

/// <summary>Adds Rotor's problem answers and security requirements to each operation that <c>MapRotor</c> mapped.</summary>
internal sealed class RotorOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<RotorEndpointMetadata>().Any() && context.Document is { } document)
        {
            RotorOperations.Describe(operation, metadata, document);
        }

        return Task.CompletedTask;
    }
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Rotor.Http;

namespace Rotor.OpenApi;

/// <summary>Adds Rotor's problem answers and security requirements to each operation that <c>MapRotor</c> mapped.</summary>
internal sealed class RotorOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<RotorEndpointMetadata>().Any() || context.Document is not { } document)
        {
            return;
        }

        // Rotor's handlers read their JSON bodies themselves (bounded, duplicate keys refused), so the generator
        // infers none: the body comes from the endpoint's RotorRequestBodyMetadata.
        if (metadata.OfType<RotorRequestBodyMetadata>().FirstOrDefault() is { } body && operation.RequestBody is null)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !body.Optional,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await SchemaReferenceAsync(body.Type, context, document, cancellationToken) },
                },
            };
        }

        RotorOperations.Describe(operation, metadata, document);
    }

    /// <summary>The request type's schema as a component (as the generator does for the types it infers), referenced by name.</summary>
    private static async Task<IOpenApiSchema> SchemaReferenceAsync(Type type, OpenApiOperationTransformerContext context, OpenApiDocument document, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent<IOpenApiSchema>(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        return new OpenApiSchemaReference(type.Name, document);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Rotor.Http;

namespace Rotor.OpenApi;

/// <summary>
/// The document-wide parts: the security schemes, the problem+json schema with every Rotor error code, and the
/// Rotor endpoints that have no handler method (health checks), described from their endpoint metadata.
/// </summary>
internal sealed class RotorDocumentTransformer : IOpenApiDocumentTransformer
{
    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var options = context.ApplicationServices.GetRequiredService<IOptions<RotorOptions>>().Value;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[RotorOperations.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A Rotor access token (ES256 JWT, minutes long) from login or refresh: `Authorization: Bearer <accessToken>`. " +
                "401 `invalid_token` with `WWW-Authenticate: Bearer error=\"invalid_token\"` means refresh, then retry.",
        };
        document.Components.SecuritySchemes[RotorOperations.CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = options.RefreshCookie.EffectiveName,
            Description = "The refresh token of a browser session (HttpOnly, SameSite=Strict, set by login and refresh). Requests that rely on " +
                "it must send `X-Requested-With`, and an `Origin` that is the server's own or one of `Rotor:AllowedOrigins`.",
        };
        document.Components.SecuritySchemes[RotorOperations.DpopScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "DPoP",
            Description = "A sender-constrained access token (RFC 9449), where the server supports DPoP: `Authorization: DPoP <accessToken>` " +
                "with a `DPoP` proof header signed by the session's key. Refusals: 401 `invalid_dpop_proof`, 401 `use_dpop_nonce` " +
                "(retry with the `DPoP-Nonce` header's value).",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[RotorOperations.ProblemSchema] = ProblemSchema();
        await AddRequestDelegateEndpointsAsync(document, context, cancellationToken);
    }

    /// <summary>RFC 9457 problem details with Rotor's members: <c>code</c> (switch on it), <c>errors</c> per field.</summary>
    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. Switch on `code`; show `detail` to people.",
        Required = new HashSet<string> { "type", "title", "status", "detail", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "`urn:rotor:error:` + code." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A sentence a person can act on." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The stable error code (RotorErrorCodes).",
                Enum = RotorErrorTable.Codes.Select(c => (JsonNode)JsonValue.Create(c)!).ToList(),
            },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "validation_failed: the messages for each field that needs attention.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["challenge"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "mfa_required after a right password: pass it to /auth/login/mfa." },
            ["methods"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "mfa_required: the second steps the user has.",
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        },
    };

    /// <summary>
    /// The generator describes handler methods only; Rotor endpoints mapped as request delegates (health checks) get
    /// an operation here from their metadata: name, tags, method (GET when they take any), answers.
    /// </summary>
    private static async Task AddRequestDelegateEndpointsAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        foreach (var endpoint in RotorEndpoints.Find(context.ApplicationServices))
        {
            foreach (var method in RotorEndpoints.Methods(endpoint))
            {
                var path = RotorEndpoints.Path(endpoint);
                var httpMethod = HttpMethod.Parse(method);
                if (!document.Paths.TryGetValue(path, out var item))
                {
                    item = new OpenApiPathItem();
                    document.Paths[path] = item;
                }

                if (item is not OpenApiPathItem pathItem || pathItem.Operations?.ContainsKey(httpMethod) == true)
                {
                    continue;
                }

                var operation = new OpenApiOperation
                {
                    OperationId = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                    Tags = endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Select(t => new OpenApiTagReference(t, document)).ToHashSet(),
                    Responses = [],
                };
                foreach (var produces in endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>())
                {
                    var response = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(produces.StatusCode) };
                    if (produces.Type is { } type && type != typeof(void))
                    {
                        var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
                        response.Content = produces.ContentTypes.ToDictionary(c => c, _ => new OpenApiMediaType { Schema = schema });
                    }

                    operation.Responses[produces.StatusCode.ToString(CultureInfo.InvariantCulture)] = response;
                }

                RotorOperations.Describe(operation, endpoint.Metadata, document);
                pathItem.Operations ??= [];
                pathItem.Operations[httpMethod] = operation;
            }
        }
    }
}

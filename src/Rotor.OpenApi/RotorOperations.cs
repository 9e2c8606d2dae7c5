using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using Rotor.Http;

namespace Rotor.OpenApi;

/// <summary>
/// Writes what an operation's endpoint metadata says about Rotor's answers into the operation: each problem status
/// with the codes it carries (<see cref="RotorErrorsMetadata"/>, the title and sentence of <see cref="RotorErrorTable"/>),
/// and the security schemes it takes.
/// </summary>
internal static class RotorOperations
{
    public const string ProblemSchema = "RotorProblem";
    public const string BearerScheme = "Bearer";
    public const string CookieScheme = "RefreshCookie";
    public const string DpopScheme = "DPoP";
    private const string ProblemContentType = "application/problem+json";

    /// <summary>Codes that come with a <c>Retry-After</c> header: how long to wait.</summary>
    private static readonly HashSet<string> s_retryAfter =
    [
        RotorErrorCodes.RateLimited, RotorErrorCodes.LockedOut, RotorErrorCodes.ServiceUnavailable, RotorErrorCodes.OtpAttemptsExceeded,
    ];

    public static void Describe(OpenApiOperation operation, IEnumerable<object> metadata, OpenApiDocument document)
    {
        metadata = metadata.ToList();
        var errors = metadata.OfType<RotorErrorsMetadata>().SelectMany(m => m.Errors).Distinct().ToList();
        operation.Responses ??= [];
        foreach (var group in errors.GroupBy(e => e.Status).OrderBy(g => g.Key))
        {
            var codes = group.Select(e => e.Code).Order(StringComparer.Ordinal).ToList();
            var key = group.Key.ToString(CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(key, out var existing) && existing is OpenApiResponse { Content: { } content }
                && content.Keys.Any(type => type != ProblemContentType))
            {
                // A typed answer of the same status (a health check's 503 JSON is a problem too, but a 200 is not).
                continue;
            }

            operation.Responses[key] = ProblemResponse(codes, document);
        }

        var requiresToken = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (requiresToken)
        {
            // A DPoP-bound session's token comes as Authorization: DPoP with a proof (RFC 9449): either scheme will do.
            operation.Security = [Requirement(BearerScheme, document), Requirement(DpopScheme, document)];
        }
        else if (metadata.OfType<RotorCookieMetadata>().Any())
        {
            // The refresh token comes in the cookie (browsers) or in the body (native apps): the cookie is optional.
            operation.Security = [Requirement(CookieScheme, document), new OpenApiSecurityRequirement()];
        }
        else if (errors.Any(e => e.Code == RotorErrorCodes.InvalidToken))
        {
            // Anonymous, but a token that is sent must be valid (GET /users/me).
            operation.Security = [new OpenApiSecurityRequirement(), Requirement(BearerScheme, document), Requirement(DpopScheme, document)];
        }
    }

    private static OpenApiResponse ProblemResponse(IReadOnlyList<string> codes, OpenApiDocument document)
    {
        var lines = codes.Select(code =>
        {
            var entry = RotorErrorTable.Find(code);
            return $"- `{code}` ({entry.Title}): {entry.Detail.Replace("{0}", "N", StringComparison.Ordinal)}";
        });
        var response = new OpenApiResponse
        {
            Description = string.Join('\n', lines),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemContentType] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        AllOf = [new OpenApiSchemaReference(ProblemSchema, document)],
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = codes.Select(c => (JsonNode)JsonValue.Create(c)!).ToList() },
                        },
                    },
                },
            },
        };
        if (codes.Any(s_retryAfter.Contains))
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                [HeaderNames.RetryAfter] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again (rate_limited, locked_out, otp_attempts_exceeded, service_unavailable).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                },
            };
        }

        return response;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static class HeaderNames
    {
        public const string RetryAfter = "Retry-After";
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rotor.Contracts;
using Rotor.Http;

namespace Rotor.OAuth;

/// <summary><c>GET /.well-known/oauth-authorization-server</c>: the authorization server metadata (RFC 8414).</summary>
internal static class OAuthMetadataEndpoint
{
    public const string Path = "/.well-known/oauth-authorization-server";

    private static readonly string[] s_grantTypes = [OAuthEndpoints.RefreshTokenGrant];
    private static readonly string[] s_noResponseTypes = [];
    private static readonly string[] s_publicClients = ["none"];

    /// <summary>
    /// The document. Its URLs start from <c>Rotor:Issuer</c> when that is an absolute http(s) URL (RFC 8414's model:
    /// the issuer is the server's URL, and then the document may be cached anywhere); otherwise from the request's
    /// scheme (after the trusted proxies' X-Forwarded-Proto), host and path base, and then only the client may cache it.
    /// </summary>
    public static JsonHttpResult<OAuthMetadataResponse> Get(HttpContext context, IOptions<RotorOptions> options)
    {
        var o = options.Value;
        var fromIssuer = IssuerBase(o.Issuer);
        var request = context.Request;
        var root = fromIssuer ?? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
        var maxAge = ((long)o.Keys.JwksCacheDuration.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = fromIssuer is null ? $"private, max-age={maxAge}" : $"public, max-age={maxAge}";
        if (fromIssuer is null)
        {
            context.Response.Headers.Append("Vary", "Host");
        }

        // response_types_supported is REQUIRED by RFC 8414 §2 and lists what the authorization endpoint answers;
        // there is none (sessions start at POST /auth/login), so the list is empty rather than absent.
        var document = new OAuthMetadataResponse(
            o.Issuer,
            root + OAuthEndpoints.TokenPath,
            root + OAuthEndpoints.RevokePath,
            root + "/.well-known/jwks.json",
            s_grantTypes,
            s_noResponseTypes,
            s_publicClients,
            s_publicClients,
            o.Dpop.Enabled ? o.Dpop.EffectiveAlgorithms : null);
        return TypedResults.Json(document, RotorJsonContext.Default.OAuthMetadataResponse);
    }

    /// <summary>The issuer without a trailing slash when it is an absolute http(s) URL with no query or fragment; else null.</summary>
    internal static string? IssuerBase(string issuer) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && !issuer.Contains('#', StringComparison.Ordinal)
            ? issuer.TrimEnd('/')
            : null;
}

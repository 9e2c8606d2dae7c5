using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Rotor.Http;
using Rotor.RateLimiting;
using Rotor.Security;

namespace Rotor.Endpoints;

/// <summary>
/// Describes Rotor's endpoints in the metadata ASP.NET Core's OpenAPI generator reads: the JSON body each one takes
/// (handlers read it themselves, so nothing infers it), and the problem answers each one can give, as
/// <see cref="RotorErrorsMetadata"/> plus one problem+json response per status. Filters that refuse requests are
/// added here together with the codes they answer with, so the description cannot forget them.
/// </summary>
internal static class RotorEndpointDescriptions
{
    private static readonly string[] ProblemContentType = ["application/problem+json"];

    /// <summary>The problem answers this endpoint can give, each with its table status.</summary>
    public static TBuilder Errors<TBuilder>(this TBuilder builder, params string[] codes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Errors(codes.Select(code => (code, RotorErrorTable.Find(code).Status)).ToArray());

    /// <summary>The problem answers this endpoint can give, with the statuses it sends them with.</summary>
    public static TBuilder Errors<TBuilder>(this TBuilder builder, params (string Code, int Status)[] errors)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => Describe(endpoint, errors));
        return builder;
    }

    /// <summary>The endpoint reads a JSON body of <typeparamref name="TRequest"/> (<see cref="JsonBody"/>) and answers its refusals.</summary>
    public static RouteHandlerBuilder JsonBody<TRequest>(this RouteHandlerBuilder builder, bool optional = false)
        where TRequest : notnull =>
        builder.WithMetadata(new RotorRequestBodyMetadata(typeof(TRequest), optional))
            .Errors(RotorErrorCodes.InvalidRequest, RotorErrorCodes.RequestTooLarge, RotorErrorCodes.UnsupportedMediaType);

    /// <summary>A JSON answer of <typeparamref name="TResponse"/>, for endpoints whose handler is a request delegate.</summary>
    public static TBuilder Returns<TBuilder, TResponse>(this TBuilder builder, int status = StatusCodes.Status200OK)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(TResponse), ["application/json"]));

    /// <summary>Rate-limits the endpoint per client address (and per account, by the body's <paramref name="accountField"/>).</summary>
    public static RouteHandlerBuilder RateLimited(this RouteHandlerBuilder builder, string policy, string? accountField = null)
    {
        builder.AddEndpointFilter(new AddressRateLimitFilter(policy));
        if (accountField is not null)
        {
            builder.AddEndpointFilter(new AccountRateLimitFilter(policy, accountField));
        }

        return builder.Errors(RotorErrorCodes.RateLimited);
    }

    /// <summary>Asks for a recent authentication (<see cref="RecentAuthenticationFilter"/>).</summary>
    public static TBuilder Recent<TBuilder>(this TBuilder builder, RecentAuthenticationFilter filter)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(filter);
        return builder.Errors(RotorErrorCodes.ReauthenticationRequired);
    }

    /// <summary>
    /// What every Rotor endpoint can answer, added last: 503 when the database is unreachable and 500 for a fault
    /// (<see cref="RotorEndpointFilter"/>), and 401 <c>invalid_token</c> where a bearer token is required.
    /// </summary>
    public static void Complete(EndpointBuilder endpoint)
    {
        if (!endpoint.Metadata.OfType<MethodInfo>().Any())
        {
            return; // a request delegate (health checks): no endpoint filter, no authorization; described where mapped
        }

        Describe(endpoint, [(RotorErrorCodes.ServiceUnavailable, 503), (RotorErrorCodes.ServerError, 500)]);
        var requiresToken = endpoint.Metadata.OfType<IAuthorizeData>().Any() && !endpoint.Metadata.OfType<IAllowAnonymous>().Any();
        if (requiresToken)
        {
            // The bearer handler also checks the DPoP proof of a bound token (RFC 9449 §7).
            Describe(endpoint, [(RotorErrorCodes.InvalidToken, 401), (RotorErrorCodes.InvalidDpopProof, 401), (RotorErrorCodes.UseDpopNonce, 401)]);
        }
    }

    private static void Describe(EndpointBuilder endpoint, (string Code, int Status)[] errors)
    {
        endpoint.Metadata.Add(new RotorErrorsMetadata(errors));
        var described = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
        foreach (var status in errors.Select(e => e.Status).Distinct().Where(described.Add))
        {
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ProblemContentType));
        }
    }
}

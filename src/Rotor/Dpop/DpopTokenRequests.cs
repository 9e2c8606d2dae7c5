using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rotor.Diagnostics;
using Rotor.Http;

namespace Rotor.Dpop;

/// <summary>
/// The DPoP side of Rotor's token endpoints (sign-in, its second step, code sign-in, refresh, <c>/oauth/token</c>): the request's proof is
/// checked before anything else happens (before a password, code or refresh token is spent), and a refused one is
/// answered with its code and, for <c>use_dpop_nonce</c>, a <c>DPoP-Nonce</c> header to retry with.
/// </summary>
internal static class DpopTokenRequests
{
    /// <summary>
    /// Checks the request's proof. Returns the problem to answer when it was refused; otherwise null, with
    /// the thumbprint of the key to bind to or check against (null when the request had no proof).
    /// </summary>
    public static async Task<(ProblemHttpResult? Refusal, string? Thumbprint)> ReadAsync(HttpContext context)
    {
        var proof = await CheckAsync(context);
        return proof.ErrorCode is { } code ? (RotorProblems.Create(code, proof.Failure), null) : (null, proof.Thumbprint);
    }

    /// <summary>
    /// Checks the request's proof and writes the <c>DPoP-Nonce</c> header where one is due; the caller answers a
    /// refusal (<see cref="DpopProof.ErrorCode"/>) in its own error format.
    /// </summary>
    public static async Task<DpopProof> CheckAsync(HttpContext context)
    {
        var validator = context.RequestServices.GetRequiredService<DpopProofValidator>();
        var proof = await validator.ValidateAsync(context, accessToken: null);
        if (!proof.Present)
        {
            return proof;
        }

        if (proof.ErrorCode == RotorErrorCodes.UseDpopNonce || validator.RequireNonce)
        {
            // RFC 9449 §8: the nonce to use next, on the refusal that asks for it and, when nonces are required, on
            // every answer to a proof so the client always holds a current one.
            context.Response.Headers[DpopProofValidator.NonceHeaderName] = validator.Nonces.Current();
        }

        if (!proof.IsValid)
        {
            RotorLog.DpopProofRefused(Logger(context), proof.Failure!);
        }

        return proof;
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Rotor.Dpop");
}

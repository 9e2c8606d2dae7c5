using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Diagnostics;
using Rotor.Dpop;
using Rotor.Http;
using Rotor.Tokens;

namespace Rotor.Security;

/// <summary>
/// Authenticates requests with Rotor's access tokens: <c>Authorization: Bearer</c>, or for a token bound to a DPoP key
/// <c>Authorization: DPoP</c> with a <c>DPoP</c> proof from that key carrying the token's hash (RFC 9449 §7). A bound
/// token sent as Bearer is refused. A refused token is challenged with <c>WWW-Authenticate</c> (<c>Bearer</c> or
/// <c>DPoP</c>, with the error) and a problem+json body, which is a client's cue to refresh, or to send a new proof.
/// </summary>
internal sealed class RotorBearerHandler(
    IOptionsMonitor<RotorBearerOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokenValidator validator,
    DpopProofValidator dpop) : AuthenticationHandler<RotorBearerOptions>(options, loggerFactory, encoder)
{
    private const string FailureKey = "Rotor.BearerFailure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var scheme = IsScheme(header, "Bearer") ? "Bearer"
            : dpop.Enabled && IsScheme(header, RotorAuthenticationDefaults.DpopScheme) ? RotorAuthenticationDefaults.DpopScheme
            : null;
        if (scheme is null)
        {
            return NoResult();
        }

        // A caller who names the scheme claims to be someone: a missing or garbled token is refused, never taken for
        // an anonymous request. RFC 6750's b64token follows exactly one space; the token itself is checked character by
        // character by the validator, so nothing is trimmed here.
        var token = header.Length > scheme.Length + 1 ? header.AsSpan(scheme.Length + 1) : [];
        if (token.IsEmpty || token.IsWhiteSpace())
        {
            return Refuse(scheme, RotorErrorCodes.InvalidToken, $"The {scheme.ToLowerInvariant()} token is empty.");
        }

        if (header[scheme.Length] != ' ')
        {
            return Refuse(scheme, RotorErrorCodes.InvalidToken, $"The {scheme.ToLowerInvariant()} token must follow the scheme after one space.");
        }

        if (!validator.TryValidateCached(token, out var result))
        {
            result = await validator.ValidateAsync(token.ToString());
        }

        if (result.Token is not { } valid)
        {
            return Refuse(scheme, RotorErrorCodes.InvalidToken, result.Failure!);
        }

        if (scheme == "Bearer" && valid.DpopJkt is not null)
        {
            // RFC 9449 §7.2: a bound token is worthless without its key, so it never works as a bearer token.
            return Refuse(RotorAuthenticationDefaults.DpopScheme, RotorErrorCodes.InvalidToken, "This access token is bound to a DPoP key; send it as Authorization: DPoP with a proof from that key.");
        }

        if (scheme == RotorAuthenticationDefaults.DpopScheme && await CheckProofAsync(header[(scheme.Length + 1)..], valid) is { } refused)
        {
            return refused;
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(Identity(valid)), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failure = Context.Items[FailureKey] as Failure;
        if (failure?.Code == RotorErrorCodes.ServiceUnavailable)
        {
            await RotorProblems.For(Context, RotorErrorCodes.ServiceUnavailable, failure.Description).ExecuteAsync(Context);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (failure is null)
        {
            // No credentials: both schemes this server takes (RFC 9449 §7.1), DPoP with the algorithms it accepts.
            Response.Headers.WWWAuthenticate = dpop.Enabled ? new Microsoft.Extensions.Primitives.StringValues(["Bearer", $"DPoP algs=\"{dpop.Algorithms}\""]) : "Bearer";
        }
        else
        {
            var description = failure.Description.Replace("\"", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal);
            var algs = failure.Scheme == RotorAuthenticationDefaults.DpopScheme ? $", algs=\"{dpop.Algorithms}\"" : "";
            Response.Headers.WWWAuthenticate = $"{failure.Scheme} error=\"{failure.Code}\", error_description=\"{description}\"{algs}";
            if (failure.Code == RotorErrorCodes.UseDpopNonce || (failure.Scheme == RotorAuthenticationDefaults.DpopScheme && dpop.RequireNonce))
            {
                Response.Headers[DpopProofValidator.NonceHeaderName] = dpop.Nonces.Current();
            }
        }

        var detail = failure is null
            ? (result.None ? "Send an access token in the Authorization header." : "The access token was refused.") + " Refresh the session and retry."
            : failure.Code == RotorErrorCodes.InvalidToken ? failure.Description + " Refresh the session and retry." : failure.Description;
        await RotorProblems.Create(failure?.Code ?? RotorErrorCodes.InvalidToken, detail).ExecuteAsync(Context);
    }

    /// <summary>The request's proof for a bound token: present, valid for this request and token (<c>ath</c>), and from the token's key.</summary>
    private async Task<AuthenticateResult?> CheckProofAsync(string token, Tokens.ValidatedAccessToken valid)
    {
        const string Scheme = RotorAuthenticationDefaults.DpopScheme;
        if (valid.DpopJkt is null)
        {
            return Refuse(Scheme, RotorErrorCodes.InvalidToken, "This access token is not bound to a DPoP key; send it as Authorization: Bearer.");
        }

        DpopProof proof;
        try
        {
            proof = await dpop.ValidateAsync(Context, token);
        }
        catch (Exception ex) when (RotorEndpointFilter.IsDatabaseFailure(ex))
        {
            // The replay cache is out of reach: no verdict on the proof, so neither a 401 nor a pass (503, retry).
            RotorLog.DatabaseUnavailable(Logger, ex);
            return Refuse(Scheme, RotorErrorCodes.ServiceUnavailable, "The server cannot check DPoP proofs right now; retry shortly.");
        }

        if (!proof.Present)
        {
            return Refuse(Scheme, RotorErrorCodes.InvalidDpopProof, "Send a DPoP proof with a DPoP access token.");
        }

        if (!proof.IsValid)
        {
            return Refuse(Scheme, proof.ErrorCode!, proof.Failure!);
        }

        if (!string.Equals(proof.Thumbprint, valid.DpopJkt, StringComparison.Ordinal))
        {
            return Refuse(Scheme, RotorErrorCodes.InvalidDpopProof, "The DPoP proof is signed by a key other than the one the access token is bound to.");
        }

        if (dpop.RequireNonce)
        {
            // RFC 9449 §9: a fresh nonce with each answer, so the client always holds a current one.
            Response.Headers[DpopProofValidator.NonceHeaderName] = dpop.Nonces.Current();
        }

        return null;
    }

    private ClaimsIdentity Identity(Tokens.ValidatedAccessToken valid)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(RotorAuthenticationDefaults.UserIdClaim, valid.UserId),
                new Claim(ClaimTypes.NameIdentifier, valid.UserId),
                new Claim(RotorAuthenticationDefaults.SessionIdClaim, valid.SessionId.ToString("D")),
                new Claim("name", valid.Name ?? ""),
                new Claim("email", valid.Email ?? ""),
            ],
            Scheme.Name,
            "name",
            "role");
        if (valid.AuthenticatedAt is { } authTime)
        {
            identity.AddClaim(new Claim(RotorAuthenticationDefaults.AuthTimeClaim, authTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        if (valid.DpopJkt is { } jkt)
        {
            identity.AddClaim(new Claim(RotorAuthenticationDefaults.DpopThumbprintClaim, jkt));
        }

        return identity;
    }

    /// <summary>A valid token whose holder a policy refuses (the admin policy): 403 with the same problem shape as every other refusal.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return RotorProblems.Create(RotorErrorCodes.Forbidden).ExecuteAsync(Context);
    }

    /// <summary>The scheme name is case-insensitive (RFC 9110 §11.1); <c>Bearerx</c> is some other scheme.</summary>
    private static bool IsScheme(string header, string scheme) =>
        header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && (header.Length == scheme.Length || char.IsWhiteSpace(header[scheme.Length]));

    private static AuthenticateResult NoResult() => AuthenticateResult.NoResult();

    private AuthenticateResult Refuse(string scheme, string code, string reason)
    {
        Context.Items[FailureKey] = new Failure(scheme, code, reason);
        if (code == RotorErrorCodes.InvalidToken)
        {
            RotorLog.AccessTokenRefused(Logger, reason);
        }
        else if (code != RotorErrorCodes.ServiceUnavailable)
        {
            RotorLog.DpopProofRefused(Logger, reason);
        }

        return AuthenticateResult.Fail(reason);
    }

    private sealed record Failure(string Scheme, string Code, string Description);
}

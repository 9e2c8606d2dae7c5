using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rotor.Contracts;
using Rotor.Dpop;
using Rotor.Http;
using Rotor.Sessions;
using Rotor.Tokens;

namespace Rotor.OAuth;

/// <summary>
/// The standard surfaces for off-the-shelf OAuth clients: the refresh grant (RFC 6749 §6) and token revocation
/// (RFC 7009). Public clients only: the refresh token is the grant, so no client authentication is asked for.
/// </summary>
internal static class OAuthEndpoints
{
    public const string TokenPath = "/oauth/token";
    public const string RevokePath = "/oauth/revoke";
    public const string RefreshTokenGrant = "refresh_token";

    /// <summary>
    /// <c>POST /oauth/token</c> with <c>grant_type=refresh_token</c>: the same refresh as <c>/auth/refresh</c> for a
    /// native session (grace, reuse detection, account checks), answered in RFC 6749's shape. A browser session's
    /// token is refused here without touching the session, as it is in a <c>/auth/refresh</c> body. A session bound to a
    /// DPoP key needs a proof from it (<c>token_type</c> is then <c>DPoP</c>).
    /// </summary>
    public static async Task<Results<JsonHttpResult<OAuthTokenResponse>, JsonHttpResult<OAuthErrorResponse>>> TokenAsync(
        HttpContext context, SessionService sessions, TimeProvider time, IOptions<RotorOptions> options)
    {
        OAuthResults.NoStore(context.Response);
        var (form, error, description) = await OAuthForm.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes);
        if (form is null)
        {
            return OAuthResults.Error(context, error, description);
        }

        // RFC 9700 §2.4: the password grant must not be used, and Rotor's sign-in has two-step, lockout and
        // verification rules a bare password exchange would side-step; sessions start at POST /auth/login.
        switch (form["grant_type"])
        {
            case null:
                return OAuthResults.Error(context, RotorErrorCodes.InvalidRequest, "The grant_type parameter is missing.");
            case not RefreshTokenGrant:
                return OAuthResults.Error(context, RotorErrorCodes.UnsupportedGrantType);
        }

        if (form["refresh_token"] is not { } refreshToken)
        {
            return OAuthResults.Error(context, RotorErrorCodes.RefreshTokenMissing, "The refresh_token parameter is missing.");
        }

        // RFC 9449 §5: a refused proof is a 400 invalid_dpop_proof (use_dpop_nonce with a DPoP-Nonce header); a valid one
        // must be the bound session's key, checked by the rotation itself.
        var proof = await DpopTokenRequests.CheckAsync(context);
        if (proof.ErrorCode is { } dpopError)
        {
            return OAuthResults.Error(context, dpopError, proof.Failure);
        }

        // client_id and scope are accepted and ignored: every client is public and a session has no scopes to narrow.
        var outcome = await sessions.RefreshAsync(RefreshAttempt.From(context, refreshToken, TokenResults.Native, proof.Thumbprint), context.RequestAborted);
        if (!outcome.TryGetValue(out var tokens, out var refusal))
        {
            return OAuthResults.Error(context, refusal);
        }

        var expiresIn = (int)Math.Max(0, Math.Round((tokens.AccessTokenExpiresAt - time.GetUtcNow()).TotalSeconds));
        return TypedResults.Json(
            new OAuthTokenResponse(tokens.AccessToken, tokens.TokenType, expiresIn, tokens.RefreshToken),
            RotorJsonContext.Default.OAuthTokenResponse);
    }

    /// <summary>
    /// <c>POST /oauth/revoke</c>: ends the session of a refresh token or of a live access token, as a sign-out does.
    /// Possession of the token is the authority (public clients); a token that names no session it can end answers
    /// 200 all the same (RFC 7009 §2.2), so the endpoint tells nobody whether a token was ever valid.
    /// </summary>
    public static async Task<Results<Ok, JsonHttpResult<OAuthErrorResponse>>> RevokeAsync(
        HttpContext context, SessionService sessions, AccessTokenValidator validator, IOptions<RotorOptions> options)
    {
        OAuthResults.NoStore(context.Response);
        var (form, error, description) = await OAuthForm.ReadAsync(context.Request, options.Value.MaxRequestBodyBytes);
        if (form is null)
        {
            return OAuthResults.Error(context, error, description);
        }

        if (form["token"] is not { } token)
        {
            return OAuthResults.Error(context, RotorErrorCodes.InvalidRequest, "The token parameter is missing.");
        }

        // token_type_hint is not needed: the two formats cannot be mistaken for each other, and the refresh token's
        // tag is checked first because it costs one HMAC and no database read. So a wrong or unknown hint changes nothing.
        var client = ClientInfo.From(context);
        if (sessions.ReadSessionId(token) is { } sessionId)
        {
            await sessions.RevokeAsync(sessionId, null, RevocationReasons.OAuthRevoke, client, context.RequestAborted);
        }
        else if (token.Length <= AccessTokenValidator.MaxTokenLength
            && await validator.ValidateAsync(token) is { Token: { } access })
        {
            await sessions.RevokeAsync(access.SessionId, access.UserId, RevocationReasons.OAuthRevoke, client, context.RequestAborted);
        }

        return TypedResults.Ok();
    }
}

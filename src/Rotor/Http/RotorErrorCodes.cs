namespace Rotor.Http;

/// <summary>The stable <c>code</c> member of Rotor's problem+json answers. Clients switch on these.</summary>
public static class RotorErrorCodes
{
    /// <summary>400: the body is not the JSON the endpoint takes.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>400: fields failed validation; see <c>errors</c>.</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>409: the username is in use (compared after normalisation and case folding).</summary>
    public const string UsernameTaken = "username_taken";

    /// <summary>409: the email address is in use.</summary>
    public const string EmailTaken = "email_taken";

    /// <summary>401: the username or password is wrong (the same answer whether or not the user exists).</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>423: too many failed sign-ins; see Retry-After.</summary>
    public const string LockedOut = "locked_out";

    /// <summary>401: no refresh token in the cookie or the body.</summary>
    public const string RefreshTokenMissing = "refresh_token_missing";

    /// <summary>401: the refresh token is not one this server issued, or its session no longer exists.</summary>
    public const string RefreshTokenInvalid = "refresh_token_invalid";

    /// <summary>401: the session's idle or absolute lifetime has passed.</summary>
    public const string RefreshTokenExpired = "refresh_token_expired";

    /// <summary>401: the session was revoked (sign-out, sign-out everywhere, revoked from another device).</summary>
    public const string SessionRevoked = "session_revoked";

    /// <summary>401: a rotated-away refresh token was presented; the whole session is now revoked.</summary>
    public const string RefreshTokenReused = "refresh_token_reused";

    /// <summary>401: the access token is missing, expired or invalid; refresh and retry.</summary>
    public const string InvalidToken = "invalid_token";

    /// <summary>403: a cookie-borne request failed the cross-site request forgery checks.</summary>
    public const string CsrfRejected = "csrf_rejected";

    /// <summary>404: no such session among the caller's.</summary>
    public const string SessionNotFound = "session_not_found";

    /// <summary>405: the endpoint does not take that method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>413: the body is larger than <see cref="RotorOptions.MaxRequestBodyBytes"/>.</summary>
    public const string RequestTooLarge = "request_too_large";

    /// <summary>415: the body is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>503: the server cannot reach its database; nothing changed, retry after Retry-After.</summary>
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>500: an unexpected server error.</summary>
    public const string ServerError = "server_error";

    /// <summary>429: too many requests from this address or for this account; see Retry-After.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>403: the password is right but the email address is not verified yet; verify it with the emailed code.</summary>
    public const string EmailNotVerified = "email_not_verified";

    /// <summary>400: the verification code is wrong, was already used or replaced, or the address is not being confirmed (or has no account: the same answer).</summary>
    public const string OtpInvalid = "otp_invalid";

    /// <summary>400: the verification code has expired; ask for a new one.</summary>
    public const string OtpExpired = "otp_expired";

    /// <summary>400: too many wrong codes for the address (5 per 15 minutes, across codes); no code is checked until Retry-After, which doubles each time.</summary>
    public const string OtpAttemptsExceeded = "otp_attempts_exceeded";

    /// <summary>400: the password-reset token is not one this server issued.</summary>
    public const string ResetTokenInvalid = "reset_token_invalid";

    /// <summary>400: the password-reset token has expired; ask for a new link.</summary>
    public const string ResetTokenExpired = "reset_token_expired";

    /// <summary>400: the password-reset token was already used or replaced by a newer one.</summary>
    public const string ResetTokenUsed = "reset_token_used";

    /// <summary>400: the current password given to change the password is wrong (it counts toward lockout).</summary>
    public const string CurrentPasswordInvalid = "current_password_invalid";

    /// <summary>401: the password was right and the account has two-step sign-in: finish with <c>POST /auth/login/mfa</c> and the <c>challenge</c>.</summary>
    public const string MfaRequired = "mfa_required";

    /// <summary>401: the two-step challenge is unknown, used up or expired; sign in again from the password.</summary>
    public const string MfaChallengeInvalid = "mfa_challenge_invalid";

    /// <summary>401 (400 when enrolling): the authenticator or recovery code is wrong.</summary>
    public const string MfaCodeInvalid = "mfa_code_invalid";

    /// <summary>403: the action needs a recent sign-in; call <c>POST /auth/reauthenticate</c> and retry.</summary>
    public const string ReauthenticationRequired = "reauthentication_required";

    /// <summary>401: the account was deleted, locked or changed (security stamp) since the session began; the session is over.</summary>
    public const string AccountUnavailable = "account_unavailable";

    /// <summary>403: Identity's sign-in options require a confirmed account (or email) and this one is not.</summary>
    public const string AccountNotConfirmed = "account_not_confirmed";

    /// <summary>
    /// 401: the DPoP proof (RFC 9449) is missing, malformed, replayed, for another request, or signed by a key other than
    /// the one the session is bound to. Nothing was changed: the session goes on for the key's holder.
    /// </summary>
    public const string InvalidDpopProof = "invalid_dpop_proof";

    /// <summary>401: the server wants a DPoP proof carrying its current nonce; retry once with the <c>DPoP-Nonce</c> header's value.</summary>
    public const string UseDpopNonce = "use_dpop_nonce";

    /// <summary>400: <c>POST /oauth/token</c> was asked for a grant type other than <c>refresh_token</c> (RFC 6749 §5.2).</summary>
    public const string UnsupportedGrantType = "unsupported_grant_type";
    /// <summary>403: the caller is signed in but the endpoint's authorization policy (the admin policy, for <c>/admin</c>) refuses them.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>404: no user has that id (admin endpoints).</summary>
    public const string UserNotFound = "user_not_found";
}

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
}

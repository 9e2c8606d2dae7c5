using System.Collections.Frozen;
using System.Globalization;

namespace Rotor.Http;

/// <summary>
/// The one place where an error code becomes an HTTP answer: its status, title and the sentence a person
/// reads. A <c>{0}</c> in a detail is the Retry-After in whole seconds.
/// </summary>
internal static class RotorErrorTable
{
    public readonly record struct Entry(int Status, string Title, string Detail);

    private static readonly FrozenDictionary<string, Entry> s_entries = new Dictionary<string, Entry>(StringComparer.Ordinal)
    {
        [RotorErrorCodes.InvalidRequest] = new(400, "Invalid request", "The body is not valid JSON of the expected shape."),
        [RotorErrorCodes.ValidationFailed] = new(400, "Validation failed", "Some fields need attention; see errors."),
        [RotorErrorCodes.UsernameTaken] = new(409, "Username taken", "That username is taken. Choose another."),
        [RotorErrorCodes.EmailTaken] = new(409, "Email taken", "That email address already has an account. Sign in, or reset the password."),
        [RotorErrorCodes.InvalidCredentials] = new(401, "Invalid credentials", "The username or password is incorrect."),
        [RotorErrorCodes.LockedOut] = new(423, "Locked out", "Too many failed sign-ins. Try again in {0} seconds, or reset the password: a reset unlocks the account."),
        [RotorErrorCodes.RefreshTokenMissing] = new(401, "Session ended", "No refresh token was sent. Sign in again."),
        [RotorErrorCodes.RefreshTokenInvalid] = new(401, "Session ended", "The refresh token is not valid. Sign in again."),
        [RotorErrorCodes.RefreshTokenExpired] = new(401, "Session ended", "The session has expired. Sign in again."),
        [RotorErrorCodes.SessionRevoked] = new(401, "Session ended", "The session was signed out. Sign in again."),
        [RotorErrorCodes.RefreshTokenReused] = new(401, "Session ended", "This refresh token was already used, so the session was ended to protect the account. Sign in again."),
        [RotorErrorCodes.AccountUnavailable] = new(401, "Session ended", "The account was locked, deleted or changed since this session began. Sign in again."),
        [RotorErrorCodes.InvalidToken] = new(401, "Invalid token", "The access token is missing, expired or invalid. Refresh the session and retry."),
        [RotorErrorCodes.CsrfRejected] = new(403, "Request refused", "The request failed the cross-site request checks."),
        [RotorErrorCodes.SessionNotFound] = new(404, "Session not found", "You have no active session with that id."),
        [RotorErrorCodes.MethodNotAllowed] = new(405, "Method not allowed", "This endpoint does not take that method."),
        [RotorErrorCodes.RequestTooLarge] = new(413, "Request too large", "The body is too large."),
        [RotorErrorCodes.UnsupportedMediaType] = new(415, "Unsupported media type", "Send the body as application/json (UTF-8)."),
        [RotorErrorCodes.RateLimited] = new(429, "Too many requests", "Too many attempts in a short time. Try again in {0} seconds."),
        [RotorErrorCodes.ServiceUnavailable] = new(503, "Service unavailable", "The server cannot reach its database right now. Nothing was changed; try again in a few seconds."),
        [RotorErrorCodes.ServerError] = new(500, "Server error", "Something went wrong on the server. Try again; if it keeps happening, tell the site's operators."),
        [RotorErrorCodes.EmailNotVerified] = new(403, "Email not verified", "Verify your email address first: enter the 6-digit code we emailed you, or ask for a new one."),
        [RotorErrorCodes.AccountNotConfirmed] = new(403, "Account not confirmed", "This account is not confirmed yet. Confirm it first, as the site asked you to."),
        [RotorErrorCodes.OtpInvalid] = new(400, "Invalid code", "That code is not right, or is no longer valid. Check the newest email, or ask for a new code."),
        [RotorErrorCodes.OtpExpired] = new(400, "Code expired", "That code has expired. Ask for a new one."),
        [RotorErrorCodes.OtpAttemptsExceeded] = new(400, "Too many wrong codes", "Too many wrong codes for this address. Try again in {0} seconds, with the newest code."),
        [RotorErrorCodes.ResetTokenInvalid] = new(400, "Invalid reset link", "This reset link is not valid. Ask for a new one."),
        [RotorErrorCodes.ResetTokenExpired] = new(400, "Reset link expired", "This reset link has expired. Ask for a new one."),
        [RotorErrorCodes.ResetTokenUsed] = new(400, "Reset link already used", "This reset link was already used, or a newer one was sent. Ask for a new one if you still need it."),
        [RotorErrorCodes.CurrentPasswordInvalid] = new(400, "Wrong current password", "The current password is not right. Repeated wrong tries lock the account for a while."),
        [RotorErrorCodes.MfaRequired] = new(401, "Second step required", "Enter the code from your authenticator app, or a recovery code."),
        [RotorErrorCodes.MfaChallengeInvalid] = new(401, "Sign-in expired", "This sign-in attempt has expired or was used up. Enter your password again."),
        [RotorErrorCodes.MfaCodeInvalid] = new(401, "Invalid code", "That code is not right. Check the authenticator app's current code, or use a recovery code."),
        [RotorErrorCodes.InvalidDpopProof] = new(401, "Invalid DPoP proof", "The DPoP proof is missing or not valid for this request and key. Nothing was changed; send a fresh proof from the session's key."),
        [RotorErrorCodes.UseDpopNonce] = new(401, "DPoP nonce required", "Send the DPoP proof again with the nonce from the DPoP-Nonce header."),
        [RotorErrorCodes.UnsupportedGrantType] = new(400, "Unsupported grant type", "Only grant_type=refresh_token is supported; sign in with POST /auth/login."),
        [RotorErrorCodes.Forbidden] = new(403, "Forbidden", "Your account is not allowed to do this."),
        [RotorErrorCodes.UserNotFound] = new(404, "User not found", "No user has that id."),
        [RotorErrorCodes.ReauthenticationRequired] = new(403, "Confirm it is you", "This action needs a recent sign-in. Confirm your password and try again."),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The entry for <paramref name="code"/>; an unknown code is a programming error and answers as a server error.</summary>
    public static Entry Find(string code) =>
        s_entries.TryGetValue(code, out var entry) ? entry : s_entries[RotorErrorCodes.ServerError];

    public static bool Contains(string code) => s_entries.ContainsKey(code);

    /// <summary>Every code, in a stable order (the OpenAPI problem schema's enum).</summary>
    public static IEnumerable<string> Codes => s_entries.Keys.Order(StringComparer.Ordinal);

    /// <summary>The detail sentence, with the wait filled in.</summary>
    public static string Detail(Entry entry, TimeSpan? retryAfter) =>
        entry.Detail.Contains("{0}", StringComparison.Ordinal)
            ? string.Format(CultureInfo.InvariantCulture, entry.Detail, Seconds(retryAfter ?? TimeSpan.FromSeconds(60)))
            : entry.Detail;

    /// <summary>A wait in whole seconds for Retry-After: rounded up, at least 1, at most a year (a lock "forever" still fits).</summary>
    public static int Seconds(TimeSpan wait) => (int)Math.Clamp(Math.Ceiling(wait.TotalSeconds), 1, MaxRetryAfterSeconds);

    private const int MaxRetryAfterSeconds = 365 * 24 * 3600;
}

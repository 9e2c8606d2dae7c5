using System.Collections.Frozen;
using Rotor.Http;

namespace Rotor.OAuth;

/// <summary>
/// The one place where a Rotor error code becomes an OAuth error (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 9449 §5) on the
/// <c>/oauth/*</c> endpoints: its <c>error</c> value and status. The sentence (<c>error_description</c>) is
/// <see cref="RotorErrorTable"/>'s, so the two contracts explain a refusal the same way.
/// </summary>
internal static class OAuthErrorTable
{
    public readonly record struct Entry(string Error, int Status);

    public const string InvalidRequest = "invalid_request";
    public const string InvalidGrant = "invalid_grant";
    public const string TemporarilyUnavailable = "temporarily_unavailable";
    public const string ServerError = "server_error";

    private static readonly FrozenDictionary<string, Entry> s_entries = new Dictionary<string, Entry>(StringComparer.Ordinal)
    {
        // The request itself is wrong: the client must change it.
        [RotorErrorCodes.InvalidRequest] = new(InvalidRequest, 400),
        [RotorErrorCodes.ValidationFailed] = new(InvalidRequest, 400),
        [RotorErrorCodes.RequestTooLarge] = new(InvalidRequest, 400),
        [RotorErrorCodes.UnsupportedMediaType] = new(InvalidRequest, 400),
        [RotorErrorCodes.RefreshTokenMissing] = new(InvalidRequest, 400),
        [RotorErrorCodes.MethodNotAllowed] = new(InvalidRequest, 405),
        [RotorErrorCodes.CsrfRejected] = new(InvalidRequest, 400),
        [RotorErrorCodes.UnsupportedGrantType] = new("unsupported_grant_type", 400),

        // The session is over (or the token never was one): sign in again. Never retried as is.
        [RotorErrorCodes.RefreshTokenInvalid] = new(InvalidGrant, 400),
        [RotorErrorCodes.RefreshTokenExpired] = new(InvalidGrant, 400),
        [RotorErrorCodes.RefreshTokenReused] = new(InvalidGrant, 400),
        [RotorErrorCodes.SessionRevoked] = new(InvalidGrant, 400),
        [RotorErrorCodes.AccountUnavailable] = new(InvalidGrant, 400),

        // RFC 9449 §5: the token endpoint answers proof problems with 400.
        [RotorErrorCodes.InvalidDpopProof] = new("invalid_dpop_proof", 400),
        [RotorErrorCodes.UseDpopNonce] = new("use_dpop_nonce", 400),

        // Try again later, as Retry-After says; never invalid_grant, or the client would throw its session away.
        [RotorErrorCodes.RateLimited] = new(TemporarilyUnavailable, 429),
        [RotorErrorCodes.ServiceUnavailable] = new(TemporarilyUnavailable, 503),
        [RotorErrorCodes.ServerError] = new(ServerError, 500),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The entry for <paramref name="code"/>; a code with no row is a programming error and answers as a server error.</summary>
    public static Entry Find(string code) => s_entries.TryGetValue(code, out var entry) ? entry : s_entries[RotorErrorCodes.ServerError];

    /// <summary>The Rotor codes that have a row (for the tests that hold every row to its meaning).</summary>
    public static IEnumerable<string> Codes => s_entries.Keys;
}

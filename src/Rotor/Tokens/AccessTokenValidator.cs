using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Rotor.Sessions;

namespace Rotor.Tokens;

/// <summary>
/// Validates access tokens with an explicit algorithm allow-list (ES256 only), exact issuer and audience, an
/// explicit clock skew, and only the server's own keys (no <c>jku</c>, <c>x5u</c> or embedded keys).
/// A token that validated once is remembered until it expires, so a repeat costs a dictionary lookup instead
/// of an ECDSA verification; revocation is checked on every use.
/// </summary>
internal sealed class AccessTokenValidator
{
    /// <summary>Tokens longer than this are refused unread.</summary>
    internal const int MaxTokenLength = 4096;

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength, MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly ConcurrentDictionary<string, ValidatedAccessToken> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ValidatedAccessToken>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;
    private readonly TimeProvider _time;
    private readonly SessionRevocationList _revocations;
    private readonly int _cacheSize;
    private int _sweeping;

    public AccessTokenValidator(RotorKeyRing keys, IOptions<RotorOptions> options, TimeProvider time, SessionRevocationList revocations)
    {
        var o = options.Value;
        _time = time;
        _revocations = revocations;
        _cacheSize = o.AccessTokenCacheSize;
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        var skew = o.ClockSkew;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = o.Issuer,
            ValidAudience = o.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            // Every published key by its kid (announced, active, or retired but with tokens still unexpired); nothing else.
            IssuerSigningKeyResolver = (_, _, kid, _) => keys.ValidationKeys(kid, _time.GetUtcNow()),
            ValidateIssuerSigningKey = true,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = ["at+jwt"],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = skew,
            // IdentityModel reads the system clock; Rotor's clock is the injected TimeProvider.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = _time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now < exp + skew && (notBefore is not { } nbf || now >= nbf - skew);
            },
        };
    }

    /// <summary>
    /// Answers from the cache without allocating (the token is looked up as a span of the request header);
    /// false when the token has not been validated before and <see cref="ValidateAsync"/> must do it.
    /// </summary>
    public bool TryValidateCached(ReadOnlySpan<char> token, out AccessTokenValidation result)
    {
        if (!_cacheLookup.TryGetValue(token, out var cached))
        {
            result = default;
            return false;
        }

        if (_time.GetUtcNow() >= cached.ExpiresAt + _parameters.ClockSkew)
        {
            _cacheLookup.TryRemove(token, out _);
            result = AccessTokenValidation.Invalid("The access token expired.");
            return true;
        }

        result = _revocations.IsRevoked(cached.SessionId)
            ? AccessTokenValidation.Invalid("The access token's session was revoked.")
            : AccessTokenValidation.Valid(cached);
        return true;
    }

    public async ValueTask<AccessTokenValidation> ValidateAsync(string token)
    {
        if (TryValidateCached(token, out var known))
        {
            return known;
        }

        var now = _time.GetUtcNow();
        if (token.Length > MaxTokenLength)
        {
            return AccessTokenValidation.Invalid("The access token is too long.");
        }

        // IdentityModel decodes leniently, so a padded or otherwise re-spelled signature would verify; only the
        // exact form the issuer wrote is accepted, and so only that form can ever enter the cache.
        if (!IsCanonicalCompactJws(token))
        {
            return AccessTokenValidation.Invalid("The access token is malformed.");
        }

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            return AccessTokenValidation.Invalid("The access token is malformed.");
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return AccessTokenValidation.Invalid(result.Exception is SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException
                ? "The access token expired."
                : "The access token is invalid.");
        }

        if (!jwt.TryGetPayloadValue<string>("sub", out var sub) || string.IsNullOrEmpty(sub)
            || !jwt.TryGetPayloadValue<string>("sid", out var sidText) || !Guid.TryParseExact(sidText, "D", out var sid)
            || !jwt.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrEmpty(jti))
        {
            return AccessTokenValidation.Invalid("The access token lacks a required claim.");
        }

        jwt.TryGetPayloadValue<string>("name", out var name);
        jwt.TryGetPayloadValue<string>("email", out var email);
        DateTimeOffset? authTime = jwt.TryGetPayloadValue<long>("auth_time", out var authSeconds) ? DateTimeOffset.FromUnixTimeSeconds(authSeconds) : null;
        string? jkt = null;
        if (jwt.TryGetPayloadValue<System.Text.Json.JsonElement>("cnf", out var cnf))
        {
            // A confirmation this server cannot honour must not be dropped (that would make a bound token a bearer one).
            if (cnf.ValueKind != System.Text.Json.JsonValueKind.Object || !cnf.TryGetProperty("jkt", out var jktElement)
                || jktElement.ValueKind != System.Text.Json.JsonValueKind.String || string.IsNullOrEmpty(jkt = jktElement.GetString()))
            {
                return AccessTokenValidation.Invalid("The access token's cnf is not a DPoP key thumbprint.");
            }
        }

        var validated = new ValidatedAccessToken(sub, sid, name, email, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), authTime, jkt);
        if (_revocations.IsRevoked(sid))
        {
            return AccessTokenValidation.Invalid("The access token's session was revoked.");
        }

        Remember(token, validated, now);
        return AccessTokenValidation.Valid(validated);
    }

    /// <summary>Three non-empty parts, each canonical base64url (RFC 7515 §7.1).</summary>
    internal static bool IsCanonicalCompactJws(ReadOnlySpan<char> token)
    {
        var parts = 0;
        foreach (var range in token.Split('.'))
        {
            var part = token[range];
            if (++parts > 3 || part.IsEmpty || !CanonicalBase64Url.IsCanonical(part))
            {
                return false;
            }
        }

        return parts == 3;
    }

    private void Remember(string token, ValidatedAccessToken validated, DateTimeOffset now)
    {
        if (_cacheSize == 0)
        {
            return;
        }

        if (_cache.Count >= _cacheSize && Interlocked.Exchange(ref _sweeping, 1) == 0)
        {
            try
            {
                foreach (var entry in _cache)
                {
                    if (entry.Value.ExpiresAt + _parameters.ClockSkew <= now)
                    {
                        _cache.TryRemove(entry.Key, out _);
                    }
                }

                // Still full of live tokens: start over rather than grow without bound.
                if (_cache.Count >= _cacheSize)
                {
                    _cache.Clear();
                }
            }
            finally
            {
                Volatile.Write(ref _sweeping, 0);
            }
        }

        _cache.TryAdd(token, validated);
    }
}

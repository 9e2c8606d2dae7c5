using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rotor.Diagnostics;
using Rotor.Http;
using Rotor.Tokens;

namespace Rotor.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> requests with Rotor's access tokens. A refused token is
/// challenged with <c>WWW-Authenticate: Bearer error="invalid_token"</c> and a problem+json body, which is
/// a client's cue to refresh.
/// </summary>
internal sealed class RotorBearerHandler(
    IOptionsMonitor<RotorBearerOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokenValidator validator) : AuthenticationHandler<RotorBearerOptions>(options, loggerFactory, encoder)
{
    private const string FailureKey = "Rotor.BearerFailure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!IsBearer(header))
        {
            return AuthenticateResult.NoResult();
        }

        // A caller who names the Bearer scheme claims to be someone: a missing or garbled token is refused,
        // never taken for an anonymous request. RFC 6750's b64token follows exactly one space; the token itself
        // is checked character by character by the validator, so nothing is trimmed here.
        var token = header.Length > 7 ? header.AsSpan(7) : [];
        if (token.IsEmpty || token.IsWhiteSpace())
        {
            return Refuse("The bearer token is empty.");
        }

        if (header[6] != ' ')
        {
            return Refuse("The bearer token must follow the scheme after one space.");
        }

        if (!validator.TryValidateCached(token, out var result))
        {
            result = await validator.ValidateAsync(token.ToString());
        }

        if (result.Token is not { } valid)
        {
            return Refuse(result.Failure!);
        }

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
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failure = Context.Items[FailureKey] as string;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{failure.Replace("\"", "", StringComparison.Ordinal)}\"";
        var detail = failure ?? (result.None ? "Send an access token in the Authorization header." : "The access token was refused.");
        await RotorProblems.Create(RotorErrorCodes.InvalidToken, detail + " Refresh the session and retry.").ExecuteAsync(Context);
    }

    /// <summary>A valid token whose holder a policy refuses (the admin policy): 403 with the same problem shape as every other refusal.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return RotorProblems.Create(RotorErrorCodes.Forbidden).ExecuteAsync(Context);
    }

    /// <summary>The scheme name is case-insensitive (RFC 9110 §11.1); <c>Bearerx</c> is some other scheme.</summary>
    private static bool IsBearer(string header) =>
        header.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) && (header.Length == 6 || char.IsWhiteSpace(header[6]));

    private AuthenticateResult Refuse(string reason)
    {
        Context.Items[FailureKey] = reason;
        RotorLog.AccessTokenRefused(Logger, reason);
        return AuthenticateResult.Fail(reason);
    }
}

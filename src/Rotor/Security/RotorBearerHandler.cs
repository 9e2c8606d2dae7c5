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
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header.AsSpan(7).Trim();
        if (token.IsEmpty)
        {
            return Refuse("The bearer token is empty.");
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

    private AuthenticateResult Refuse(string reason)
    {
        Context.Items[FailureKey] = reason;
        RotorLog.AccessTokenRefused(Logger, reason);
        return AuthenticateResult.Fail(reason);
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rotor.Contracts;
using Rotor.Diagnostics;
using Rotor.Endpoints;
using Rotor.Http;
using Rotor.OAuth;
using Rotor.RateLimiting;
using Rotor.Security;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Rotor's HTTP endpoints.</summary>
public static class RotorEndpointRouteBuilderExtensions
{
    private static readonly string[] NotPost = ["GET", "PUT", "PATCH", "DELETE"];

    /// <summary>
    /// Maps <c>/auth/*</c>, <c>/users/me</c>, <c>/oauth/token</c>, <c>/oauth/revoke</c>, <c>/.well-known/jwks.json</c>,
    /// <c>/.well-known/oauth-authorization-server</c>, <c>/healthz</c> (readiness), <c>/healthz/ready</c> and
    /// <c>/healthz/live</c>. Call <c>app.UseCors()</c> before it: the endpoints carry CORS metadata (Rotor:AllowedOrigins),
    /// which ASP.NET Core answers with a 500 when the CORS middleware is missing. Each endpoint describes its body,
    /// answers and error codes for OpenAPI (package Rotor.OpenApi).
    /// </summary>
    public static IEndpointConventionBuilder MapRotor(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var root = endpoints.MapGroup("")
            .AddEndpointFilter<RotorEndpointFilter>()
            .RequireCors(RotorAuthenticationDefaults.CorsPolicy)
            .WithTags("Rotor")
            .WithMetadata(RotorEndpointMetadata.Instance);
        // Last, so it sees each endpoint's own authorization: the answers every endpoint can give (503, 500, 401).
        ((IEndpointConventionBuilder)root).Finally(RotorEndpointDescriptions.Complete);
        const string Policy = RotorAuthenticationDefaults.AuthorizationPolicy;
        const string Email = "email";

        var auth = root.MapGroup("/auth");
        auth.MapPost("/register", TokenEndpoints.RegisterAsync).WithName("RotorRegister").AllowAnonymous()
            .JsonBody<RegisterRequest>().Produces<UserResponse>(StatusCodes.Status201Created)
            .RateLimited(RotorRateLimiting.Register, Email)
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.UsernameTaken, RotorErrorCodes.EmailTaken);
        // Sign-in's per-account limit is counted by the sign-in itself, on the account the name or address resolves to.
        auth.MapPost("/login", TokenEndpoints.LoginAsync).WithName("RotorLogin").AllowAnonymous()
            .JsonBody<LoginRequest>().Produces<TokenResponse>().RateLimited(RotorRateLimiting.Login)
            .Errors(RotorErrorCodes.InvalidDpopProof, RotorErrorCodes.UseDpopNonce)
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.InvalidCredentials, RotorErrorCodes.LockedOut, RotorErrorCodes.MfaRequired,
                RotorErrorCodes.EmailNotVerified, RotorErrorCodes.AccountNotConfirmed);
        auth.MapPost("/refresh", TokenEndpoints.RefreshAsync).WithName("RotorRefresh").AllowAnonymous()
            .JsonBody<RefreshRequest>(optional: true).Produces<TokenResponse>().WithMetadata(RotorCookieMetadata.Instance)
            .Errors(RotorErrorCodes.InvalidDpopProof, RotorErrorCodes.UseDpopNonce)
            .Errors(RotorErrorCodes.CsrfRejected, RotorErrorCodes.RefreshTokenMissing, RotorErrorCodes.RefreshTokenInvalid, RotorErrorCodes.RefreshTokenExpired,
                RotorErrorCodes.SessionRevoked, RotorErrorCodes.RefreshTokenReused, RotorErrorCodes.AccountUnavailable);
        auth.MapPost("/logout", TokenEndpoints.LogoutAsync).WithName("RotorLogout").AllowAnonymous()
            .JsonBody<RefreshRequest>(optional: true).WithMetadata(RotorCookieMetadata.Instance).Errors(RotorErrorCodes.CsrfRejected);
        auth.MapPost("/logout-all", TokenEndpoints.LogoutAllAsync).WithName("RotorLogoutAll").RequireAuthorization(Policy)
            .Recent(RecentAuthenticationFilter.Always);
        auth.MapGet("/sessions", SessionEndpoints.ListAsync).WithName("RotorListSessions").RequireAuthorization(Policy)
            .Produces<List<SessionResponse>>();
        auth.MapDelete("/sessions/{id}", SessionEndpoints.RevokeAsync).WithName("RotorRevokeSession").RequireAuthorization(Policy)
            .Recent(RecentAuthenticationFilter.OtherSessions).Errors(RotorErrorCodes.SessionNotFound);
        auth.MapPost("/login/mfa", MfaEndpoints.LoginMfaAsync).WithName("RotorLoginMfa").AllowAnonymous()
            .JsonBody<LoginMfaRequest>().Produces<TokenResponse>().RateLimited(RotorRateLimiting.Login)
            .Errors(RotorErrorCodes.InvalidDpopProof, RotorErrorCodes.UseDpopNonce)
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.MfaChallengeInvalid, RotorErrorCodes.MfaCodeInvalid, RotorErrorCodes.LockedOut);
        auth.MapPost("/reauthenticate", ReauthenticationEndpoints.ReauthenticateAsync).WithName("RotorReauthenticate").RequireAuthorization(Policy)
            .JsonBody<ReauthenticateRequest>().Produces<TokenResponse>().RateLimited(RotorRateLimiting.Login)
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.InvalidCredentials, RotorErrorCodes.MfaRequired, RotorErrorCodes.MfaCodeInvalid,
                RotorErrorCodes.LockedOut);
        auth.MapGet("/availability", AccountEndpoints.AvailabilityAsync).WithName("RotorAvailability").AllowAnonymous()
            .Produces<AvailabilityResponse>().RateLimited(RotorRateLimiting.Availability).Errors(RotorErrorCodes.ValidationFailed);
        auth.MapPost("/verify-otp", AccountEndpoints.VerifyOtpAsync).WithName("RotorVerifyOtp").AllowAnonymous()
            .JsonBody<VerifyOtpRequest>().Produces<TokenResponse>().RateLimited(RotorRateLimiting.VerifyOtp, Email)
            .Errors(RotorErrorCodes.InvalidDpopProof, RotorErrorCodes.UseDpopNonce)
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.OtpInvalid, RotorErrorCodes.OtpExpired, RotorErrorCodes.OtpAttemptsExceeded,
                RotorErrorCodes.MfaRequired);
        auth.MapPost("/resend-otp", AccountEndpoints.ResendOtpAsync).WithName("RotorResendOtp").AllowAnonymous()
            .JsonBody<EmailRequest>().RateLimited(RotorRateLimiting.ResendOtp, Email).Errors(RotorErrorCodes.ValidationFailed);
        auth.MapPost("/forgot-password", AccountEndpoints.ForgotPasswordAsync).WithName("RotorForgotPassword").AllowAnonymous()
            .JsonBody<EmailRequest>().RateLimited(RotorRateLimiting.ForgotPassword, Email).Errors(RotorErrorCodes.ValidationFailed);
        auth.MapPost("/reset-password", AccountEndpoints.ResetPasswordAsync).WithName("RotorResetPassword").AllowAnonymous()
            .JsonBody<ResetPasswordRequest>()
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.ResetTokenInvalid, RotorErrorCodes.ResetTokenExpired, RotorErrorCodes.ResetTokenUsed);
        auth.MapPost("/reset-password/check", AccountEndpoints.CheckResetTokenAsync).WithName("RotorCheckResetToken").AllowAnonymous()
            .JsonBody<ResetTokenCheckRequest>().RateLimited(RotorRateLimiting.ResetPasswordCheck)
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.ResetTokenInvalid, RotorErrorCodes.ResetTokenExpired, RotorErrorCodes.ResetTokenUsed);
        auth.MapGet("/events", AccountEndpoints.EventsAsync).WithName("RotorSecurityEvents").RequireAuthorization(Policy)
            .Produces<SecurityEventPage>().Errors(RotorErrorCodes.ValidationFailed);
        foreach (var path in (string[])["/register", "/login", "/login/mfa", "/reauthenticate", "/refresh", "/logout", "/logout-all"])
        {
            // The 405 answers with Allow: POST are a convenience for people trying things by hand, not operations.
            auth.MapMethods(path, NotPost, (HttpContext context) => DiscoveryEndpoints.MethodNotAllowed(context, "POST")).AllowAnonymous()
                .ExcludeFromDescription();
        }

        var users = root.MapGroup("/users");
        users.MapGet("/me", (Delegate)UserEndpoints.MeAsync).WithName("RotorMe").AllowAnonymous().Produces<MeResponse>()
            .Errors(RotorErrorCodes.InvalidToken);
        users.MapPost("/me/password", AccountEndpoints.ChangePasswordAsync).WithName("RotorChangePassword").RequireAuthorization(Policy)
            .JsonBody<ChangePasswordRequest>().Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.CurrentPasswordInvalid, RotorErrorCodes.LockedOut);
        users.MapPost("/me/username", AccountEndpoints.ChangeUsernameAsync).WithName("RotorChangeUsername").RequireAuthorization(Policy)
            .JsonBody<ChangeUsernameRequest>().Produces<UserResponse>().Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.UsernameTaken);
        users.MapPost("/me/email", ReauthenticationEndpoints.ChangeEmailAsync).WithName("RotorChangeEmail").RequireAuthorization(Policy)
            .JsonBody<EmailRequest>().Produces<UserResponse>().Recent(RecentAuthenticationFilter.Always)
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.EmailTaken);
        users.MapGet("/me/mfa", MfaEndpoints.StatusAsync).WithName("RotorMfaStatus").RequireAuthorization(Policy).Produces<MfaStatusResponse>();
        var mfa = users.MapGroup("/me/mfa").RequireAuthorization(Policy).Recent(RecentAuthenticationFilter.Always);
        mfa.MapPost("/setup", MfaEndpoints.SetupAsync).WithName("RotorMfaSetup").Produces<MfaSetupResponse>();
        // A wrong code while enrolling is 400, not the sign-in's 401: the caller is signed in (MfaEndpoints.EnableAsync).
        mfa.MapPost("/enable", MfaEndpoints.EnableAsync).WithName("RotorMfaEnable").JsonBody<MfaCodeRequest>().Produces<RecoveryCodesResponse>()
            .Errors(RotorErrorCodes.ValidationFailed).Errors((RotorErrorCodes.MfaCodeInvalid, StatusCodes.Status400BadRequest));
        mfa.MapPost("/disable", MfaEndpoints.DisableAsync).WithName("RotorMfaDisable");
        mfa.MapPost("/recovery-codes", MfaEndpoints.RecoveryCodesAsync).WithName("RotorMfaRecoveryCodes").Produces<RecoveryCodesResponse>()
            .Errors(RotorErrorCodes.ValidationFailed);

        root.MapGet("/.well-known/jwks.json", DiscoveryEndpoints.Jwks).WithName("RotorJwks").AllowAnonymous()
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        root.MapGet(OAuthMetadataEndpoint.Path, OAuthMetadataEndpoint.Get).WithName("RotorOAuthMetadata").AllowAnonymous()
            .Produces<OAuthMetadataResponse>();
        // Health checks are request delegates (no handler method): their answers are described here.
        root.MapHealthChecks("/healthz", RotorHealthChecks.Ready).WithName("RotorHealth").AllowAnonymous()
            .Returns<IEndpointConventionBuilder, HealthResponse>().Errors(RotorErrorCodes.ServiceUnavailable);
        root.MapHealthChecks("/healthz/ready", RotorHealthChecks.Ready).WithName("RotorReady").AllowAnonymous()
            .Returns<IEndpointConventionBuilder, HealthResponse>().Errors(RotorErrorCodes.ServiceUnavailable);
        root.MapHealthChecks("/healthz/live", RotorHealthChecks.Live).WithName("RotorLive").AllowAnonymous()
            .Returns<IEndpointConventionBuilder, HealthResponse>();
        var oauth = MapOAuth(endpoints);
        return new RotorConventionBuilder(root, oauth);
    }

    /// <summary>
    /// <c>/oauth/token</c> and <c>/oauth/revoke</c>: the same shared filter as every Rotor endpoint, wrapped in one that
    /// answers every refusal in the OAuth error format (RFC 6749 §5.2) instead of problem+json.
    /// </summary>
    private static RouteGroupBuilder MapOAuth(IEndpointRouteBuilder endpoints)
    {
        var oauth = endpoints.MapGroup("")
            .AddEndpointFilter<OAuthErrorFilter>()
            .AddEndpointFilter<RotorEndpointFilter>()
            .RequireCors(RotorAuthenticationDefaults.CorsPolicy)
            .WithTags("OAuth")
            .WithMetadata(RotorEndpointMetadata.Instance);
        // RFC 6749 error JSON, not problem+json: 400 for every refusal, 503/500 when the server is ill (OAuthErrorFilter).
        oauth.MapPost(OAuthEndpoints.TokenPath, OAuthEndpoints.TokenAsync).AllowAnonymous().WithName("RotorOAuthToken")
            .Produces<OAuthTokenResponse>().OAuthErrors();
        oauth.MapPost(OAuthEndpoints.RevokePath, OAuthEndpoints.RevokeAsync).AllowAnonymous().WithName("RotorOAuthRevoke")
            .OAuthErrors();
        foreach (var path in (string[])[OAuthEndpoints.TokenPath, OAuthEndpoints.RevokePath])
        {
            oauth.MapMethods(path, NotPost, (HttpContext context) => DiscoveryEndpoints.MethodNotAllowed(context, "POST")).AllowAnonymous()
                .ExcludeFromDescription();
        }

        return oauth;
    }

    private static RouteHandlerBuilder OAuthErrors(this RouteHandlerBuilder builder) => builder
        .Produces<OAuthErrorResponse>(StatusCodes.Status400BadRequest)
        .Produces<OAuthErrorResponse>(StatusCodes.Status500InternalServerError)
        .Produces<OAuthErrorResponse>(StatusCodes.Status503ServiceUnavailable);
}

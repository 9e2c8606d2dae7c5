using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
    /// <c>/.well-known/oauth-authorization-server</c>, <c>/healthz</c> (readiness),
    /// <c>/healthz/ready</c> and <c>/healthz/live</c>. Call
    /// <c>app.UseCors()</c> before it when browsers on other origins (Rotor:AllowedOrigins) call the server.
    /// </summary>
    public static IEndpointConventionBuilder MapRotor(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var root = endpoints.MapGroup("")
            .AddEndpointFilter<RotorEndpointFilter>()
            .RequireCors(RotorAuthenticationDefaults.CorsPolicy)
            .WithTags("Rotor");

        var auth = root.MapGroup("/auth");
        auth.MapPost("/register", TokenEndpoints.RegisterAsync).AllowAnonymous()
            .AddEndpointFilter(new AddressRateLimitFilter(RotorRateLimiting.Register)).AddEndpointFilter(new AccountRateLimitFilter(RotorRateLimiting.Register, "email"));
        // Sign-in's per-account limit is counted by the sign-in itself, on the account the name or address resolves to.
        auth.MapPost("/login", TokenEndpoints.LoginAsync).AllowAnonymous().AddEndpointFilter(new AddressRateLimitFilter(RotorRateLimiting.Login));
        auth.MapPost("/refresh", TokenEndpoints.RefreshAsync).AllowAnonymous();
        auth.MapPost("/logout", TokenEndpoints.LogoutAsync).AllowAnonymous();
        auth.MapPost("/logout-all", TokenEndpoints.LogoutAllAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy)
            .AddEndpointFilter(RecentAuthenticationFilter.Always);
        auth.MapGet("/sessions", SessionEndpoints.ListAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy);
        auth.MapDelete("/sessions/{id}", SessionEndpoints.RevokeAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy)
            .AddEndpointFilter(RecentAuthenticationFilter.OtherSessions);
        auth.MapPost("/login/mfa", MfaEndpoints.LoginMfaAsync).AllowAnonymous().AddEndpointFilter(new AddressRateLimitFilter(RotorRateLimiting.Login));
        auth.MapPost("/reauthenticate", ReauthenticationEndpoints.ReauthenticateAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy)
            .AddEndpointFilter(new AddressRateLimitFilter(RotorRateLimiting.Login));
        auth.MapGet("/availability", AccountEndpoints.AvailabilityAsync).AllowAnonymous().AddEndpointFilter(new AddressRateLimitFilter(RotorRateLimiting.Availability));
        auth.MapPost("/verify-otp", AccountEndpoints.VerifyOtpAsync).AllowAnonymous()
            .AddEndpointFilter(new AddressRateLimitFilter(RotorRateLimiting.VerifyOtp)).AddEndpointFilter(new AccountRateLimitFilter(RotorRateLimiting.VerifyOtp, "email"));
        auth.MapPost("/resend-otp", AccountEndpoints.ResendOtpAsync).AllowAnonymous()
            .AddEndpointFilter(new AddressRateLimitFilter(RotorRateLimiting.ResendOtp)).AddEndpointFilter(new AccountRateLimitFilter(RotorRateLimiting.ResendOtp, "email"));
        auth.MapPost("/forgot-password", AccountEndpoints.ForgotPasswordAsync).AllowAnonymous()
            .AddEndpointFilter(new AddressRateLimitFilter(RotorRateLimiting.ForgotPassword)).AddEndpointFilter(new AccountRateLimitFilter(RotorRateLimiting.ForgotPassword, "email"));
        auth.MapPost("/reset-password", AccountEndpoints.ResetPasswordAsync).AllowAnonymous();
        auth.MapPost("/reset-password/check", AccountEndpoints.CheckResetTokenAsync).AllowAnonymous().WithName("CheckResetToken")
            .AddEndpointFilter(new AddressRateLimitFilter(RotorRateLimiting.ResetPasswordCheck));
        auth.MapGet("/events", AccountEndpoints.EventsAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy);
        foreach (var path in (string[])["/register", "/login", "/login/mfa", "/reauthenticate", "/refresh", "/logout", "/logout-all"])
        {
            auth.MapMethods(path, NotPost, (HttpContext context) => DiscoveryEndpoints.MethodNotAllowed(context, "POST")).AllowAnonymous();
        }

        var users = root.MapGroup("/users");
        users.MapGet("/me", (Delegate)UserEndpoints.MeAsync).AllowAnonymous();
        users.MapPost("/me/password", AccountEndpoints.ChangePasswordAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy);
        users.MapPost("/me/username", AccountEndpoints.ChangeUsernameAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy);
        users.MapPost("/me/email", ReauthenticationEndpoints.ChangeEmailAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy)
            .AddEndpointFilter(RecentAuthenticationFilter.Always);
        users.MapGet("/me/mfa", MfaEndpoints.StatusAsync).RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy);
        var mfa = users.MapGroup("/me/mfa").RequireAuthorization(RotorAuthenticationDefaults.AuthorizationPolicy).AddEndpointFilter(RecentAuthenticationFilter.Always);
        mfa.MapPost("/setup", MfaEndpoints.SetupAsync);
        mfa.MapPost("/enable", MfaEndpoints.EnableAsync);
        mfa.MapPost("/disable", MfaEndpoints.DisableAsync);
        mfa.MapPost("/recovery-codes", MfaEndpoints.RecoveryCodesAsync);

        root.MapGet("/.well-known/jwks.json", DiscoveryEndpoints.Jwks).AllowAnonymous();
        root.MapGet(OAuthMetadataEndpoint.Path, OAuthMetadataEndpoint.Get).AllowAnonymous().WithName("OAuthAuthorizationServerMetadata");
        var oauth = MapOAuth(endpoints);
        root.MapHealthChecks("/healthz", RotorHealthChecks.Ready).AllowAnonymous();
        root.MapHealthChecks("/healthz/ready", RotorHealthChecks.Ready).AllowAnonymous();
        root.MapHealthChecks("/healthz/live", RotorHealthChecks.Live).AllowAnonymous();
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
            .WithTags("OAuth");
        oauth.MapPost(OAuthEndpoints.TokenPath, OAuthEndpoints.TokenAsync).AllowAnonymous().WithName("OAuthToken");
        oauth.MapPost(OAuthEndpoints.RevokePath, OAuthEndpoints.RevokeAsync).AllowAnonymous().WithName("OAuthRevoke");
        foreach (var path in (string[])[OAuthEndpoints.TokenPath, OAuthEndpoints.RevokePath])
        {
            oauth.MapMethods(path, NotPost, (HttpContext context) => DiscoveryEndpoints.MethodNotAllowed(context, "POST")).AllowAnonymous();
        }

        return oauth;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rotor;
using Rotor.Contracts;
using Rotor.Endpoints;
using Rotor.Http;
using Rotor.Security;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Rotor's operator endpoints.</summary>
public static class RotorAdminEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the admin endpoints under <c>/admin</c> (find users, their sessions and security log, revoke, lock, unlock),
    /// every one behind <c>Rotor:Admin:Policy</c>, or Rotor's own policy (<see cref="RotorAuthenticationDefaults.AdminPolicy"/>:
    /// the Identity role <c>Rotor:Admin:Role</c>). Separate from <c>MapRotor()</c> so that an app without operators
    /// exposes no admin route at all, and one with them can add conventions of its own to the group it returns (for
    /// example <c>RequireHost</c> to keep it on an internal address).
    /// </summary>
    public static RouteGroupBuilder MapRotorAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var policy = endpoints.ServiceProvider.GetRequiredService<IOptions<RotorOptions>>().Value.Admin.Policy ?? RotorAuthenticationDefaults.AdminPolicy;
        var admin = endpoints.MapGroup("/admin")
            .AddEndpointFilter<RotorEndpointFilter>()
            .RequireCors(RotorAuthenticationDefaults.CorsPolicy)
            .RequireAuthorization(policy)
            .WithTags("Rotor admin")
            .WithMetadata(RotorEndpointMetadata.Instance)
            .Errors(RotorErrorCodes.Forbidden);
        // Last, so it sees each endpoint's own authorization: the answers every endpoint can give (503, 500, 401).
        ((IEndpointConventionBuilder)admin).Finally(RotorEndpointDescriptions.Complete);

        admin.MapGet("/access", AdminEndpoints.Access).WithName("RotorAdminAccess");
        admin.MapGet("/users", AdminEndpoints.SearchAsync).WithName("RotorAdminSearchUsers")
            .Produces<AdminUserPage>().Errors(RotorErrorCodes.ValidationFailed);
        admin.MapGet("/users/{id}", AdminEndpoints.GetUserAsync).WithName("RotorAdminGetUser")
            .Produces<AdminUserResponse>().Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.UserNotFound);
        admin.MapGet("/users/{id}/sessions", AdminEndpoints.SessionsAsync).WithName("RotorAdminListSessions")
            .Produces<List<AdminSessionResponse>>().Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.UserNotFound);
        admin.MapDelete("/users/{id}/sessions", AdminEndpoints.RevokeAllAsync).WithName("RotorAdminRevokeAllSessions")
            .Produces<AdminRevokeResponse>().Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.UserNotFound);
        admin.MapDelete("/users/{id}/sessions/{sessionId}", AdminEndpoints.RevokeSessionAsync).WithName("RotorAdminRevokeSession")
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.UserNotFound, RotorErrorCodes.SessionNotFound);
        admin.MapPost("/users/{id}/lock", AdminEndpoints.LockAsync).WithName("RotorAdminLockUser")
            .Produces<AdminRevokeResponse>().Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.UserNotFound);
        admin.MapPost("/users/{id}/unlock", AdminEndpoints.UnlockAsync).WithName("RotorAdminUnlockUser")
            .Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.UserNotFound);
        admin.MapGet("/users/{id}/events", AdminEndpoints.EventsAsync).WithName("RotorAdminListEvents")
            .Produces<SecurityEventPage>().Errors(RotorErrorCodes.ValidationFailed, RotorErrorCodes.UserNotFound);
        return admin;
    }
}

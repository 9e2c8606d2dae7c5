using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Rotor.Security;

namespace Rotor.Admin;

/// <summary>
/// Admits the caller when their user holds the admin role in Identity's role store, read at request time. Only admin
/// requests pay for the read; the refresh path and every other endpoint are untouched. Without a role store
/// (<c>AddRoles</c> not called) it admits nobody.
/// </summary>
internal sealed class RotorAdminRoleHandler<TUser>(UserManager<TUser> users, IOptions<RotorOptions> options) : AuthorizationHandler<RotorAdminRequirement>
    where TUser : IdentityUser
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RotorAdminRequirement requirement)
    {
        if (!users.SupportsUserRole || context.User.GetUserId() is not { } userId)
        {
            return;
        }

        var user = await users.FindByIdAsync(userId);
        if (user is not null && await users.IsInRoleAsync(user, options.Value.Admin.Role))
        {
            context.Succeed(requirement);
        }
    }
}

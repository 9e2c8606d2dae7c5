using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Rotor.Admin;
using Rotor.Security;

namespace Rotor.Host.Demo;

/// <summary>
/// The demo's way to make an admin without a database tool: users whose username is listed in <c>Host:DemoAdmins</c>
/// pass Rotor's admin requirement, beside those in the <c>rotor-admin</c> role. Read live (the user's current name,
/// the current configuration) on each admin request. Demo only: a listed name nobody has registered yet goes to
/// whoever registers it first; a real app puts its operators in the role.
/// </summary>
public sealed class DemoAdminHandler(UserManager<IdentityUser> users, IConfiguration configuration) : AuthorizationHandler<RotorAdminRequirement>
{
    /// <summary>The configuration key of the list of admin usernames.</summary>
    public const string SectionName = "Host:DemoAdmins";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RotorAdminRequirement requirement)
    {
        var names = configuration.GetSection(SectionName).Get<string[]>();
        if (names is not { Length: > 0 } || context.User.GetUserId() is not { } userId || await users.FindByIdAsync(userId) is not { } user)
        {
            return;
        }

        var name = users.NormalizeName(user.UserName);
        if (names.Any(n => users.NormalizeName(n) == name))
        {
            context.Succeed(requirement);
        }
    }
}

using Microsoft.AspNetCore.Authorization;

namespace Rotor.Admin;

/// <summary>
/// The requirement of Rotor's admin policy: the user holds <see cref="RotorAdminOptions.Role"/> now. Rotor's handler
/// reads the role store on each check (access tokens carry no roles, so a demotion needs no new token); an app may add
/// handlers of its own for this requirement, and any one that succeeds admits the caller.
/// </summary>
public sealed class RotorAdminRequirement : IAuthorizationRequirement;

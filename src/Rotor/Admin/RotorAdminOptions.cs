namespace Rotor.Admin;

/// <summary>Who may use the operator endpoints that <c>MapRotorAdmin()</c> maps under <c>/admin</c> (<c>Rotor:Admin</c>).</summary>
public sealed class RotorAdminOptions
{
    /// <summary>The default <see cref="Role"/>: <c>rotor-admin</c>.</summary>
    public const string DefaultRole = "rotor-admin";

    /// <summary>
    /// The authorization policy the admin endpoints require. Default: null, Rotor's own policy
    /// (<see cref="Security.RotorAuthenticationDefaults.AdminPolicy"/>): a valid Rotor access token whose user is in
    /// <see cref="Role"/>, read from Identity's role store on every admin request, so a demotion takes effect at once.
    /// Name a policy of the app's own to decide differently.
    /// </summary>
    public string? Policy { get; set; }

    /// <summary>
    /// The ASP.NET Core Identity role Rotor's own policy requires. Default: <c>rotor-admin</c>. The app must register a
    /// role store (<c>AddIdentityCore&lt;TUser&gt;().AddRoles&lt;IdentityRole&gt;()</c> before <c>AddRotor</c>); without one nobody is an admin.
    /// </summary>
    public string Role { get; set; } = DefaultRole;
}

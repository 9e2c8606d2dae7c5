using Microsoft.AspNetCore.Authentication;

namespace Rotor.Security;

/// <summary>Options of the <c>Rotor</c> bearer scheme; token rules come from <see cref="RotorOptions"/>.</summary>
public sealed class RotorBearerOptions : AuthenticationSchemeOptions;

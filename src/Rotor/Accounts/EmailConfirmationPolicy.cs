using Microsoft.AspNetCore.Identity;

namespace Rotor.Accounts;

/// <summary>
/// Whether new accounts must confirm their address before they can sign in: Rotor's own
/// <see cref="RotorOptions.RequireEmailVerification"/>, or Identity's <see cref="SignInOptions.RequireConfirmedEmail"/>
/// / <see cref="SignInOptions.RequireConfirmedAccount"/> (whose default confirmation is the address). Decided here
/// once, so registration mails a code whenever sign-in would otherwise refuse the account for good.
/// </summary>
internal static class EmailConfirmationPolicy
{
    public static bool IsRequired(RotorOptions rotor, IdentityOptions identity) =>
        rotor.RequireEmailVerification || identity.SignIn.RequireConfirmedEmail || identity.SignIn.RequireConfirmedAccount;
}

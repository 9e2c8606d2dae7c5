using Rotor.Sessions;

namespace Rotor.Accounts;

/// <summary>A confirmed address: the user, and whether the code may also start a session (only for the address the account registered with).</summary>
internal sealed record EmailVerified(RotorUserInfo User, bool SignIn);

using Rotor.Sessions;

namespace Rotor.Accounts.Mfa;

/// <summary>A finished two-step sign-in: the user, and the session mode the password step asked for.</summary>
internal readonly record struct MfaSignIn(RotorUserInfo User, string Mode);

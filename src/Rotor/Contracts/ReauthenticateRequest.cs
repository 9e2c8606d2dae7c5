namespace Rotor.Contracts;

/// <summary>Body of <c>POST /auth/reauthenticate</c>.</summary>
/// <param name="Password">The user's password.</param>
/// <param name="Code">The authenticator code, required when two-step sign-in is on.</param>
public sealed record ReauthenticateRequest(string? Password, string? Code);

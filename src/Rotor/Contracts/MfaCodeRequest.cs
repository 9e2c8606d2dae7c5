namespace Rotor.Contracts;

/// <summary>Body of <c>POST /users/me/mfa/enable</c>.</summary>
/// <param name="Code">The 6-digit code the authenticator app shows for the key from setup.</param>
public sealed record MfaCodeRequest(string? Code);

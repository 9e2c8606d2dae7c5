namespace Rotor.Contracts;

/// <summary>Body of <c>POST /auth/login/mfa</c>, the second step of a two-step sign-in: one of the two codes.</summary>
/// <param name="Challenge">The <c>challenge</c> of the <c>mfa_required</c> answer to the password step.</param>
/// <param name="Code">The 6-digit code the authenticator app shows.</param>
/// <param name="RecoveryCode">A recovery code, instead of <paramref name="Code"/>; each works once.</param>
public sealed record LoginMfaRequest(string? Challenge, string? Code, string? RecoveryCode);

namespace Rotor.Contracts;

/// <summary>The answer of <c>GET /users/me/mfa</c>.</summary>
/// <param name="Enabled">Whether sign-in asks for an authenticator or recovery code after the password.</param>
/// <param name="RecoveryCodesLeft">How many unused recovery codes the user has.</param>
public sealed record MfaStatusResponse(bool Enabled, int RecoveryCodesLeft);

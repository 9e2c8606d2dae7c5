namespace Rotor.Contracts;

/// <summary>The answer of <c>POST /users/me/mfa/setup</c>: a new authenticator key, used once it is confirmed with <c>POST /users/me/mfa/enable</c>.</summary>
/// <param name="SharedKey">The key in base32, in groups of four for typing into an authenticator app.</param>
/// <param name="AuthenticatorUri">The <c>otpauth://totp/…</c> URI to show as a QR code.</param>
public sealed record MfaSetupResponse(string SharedKey, string AuthenticatorUri);

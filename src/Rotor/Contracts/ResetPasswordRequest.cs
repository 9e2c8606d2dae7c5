namespace Rotor.Contracts;

/// <summary>Body of <c>POST /auth/reset-password</c>.</summary>
/// <param name="Token">The token from the reset link.</param>
/// <param name="NewPassword">The new password, never transformed.</param>
public sealed record ResetPasswordRequest(string? Token, string? NewPassword);

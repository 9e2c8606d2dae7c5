namespace Rotor.Contracts;

/// <summary>Body of <c>POST /auth/reset-password/check</c>.</summary>
/// <param name="Token">The token from the reset link.</param>
public sealed record ResetTokenCheckRequest(string? Token);

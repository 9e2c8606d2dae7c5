namespace Rotor.Contracts;

/// <summary>Body of <c>POST /users/me/password</c>.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

namespace Rotor.Contracts;

/// <summary>Body of <c>POST /users/me/username</c>.</summary>
public sealed record ChangeUsernameRequest(string? Username);

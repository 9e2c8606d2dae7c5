namespace Rotor.Contracts;

/// <summary>Body of <c>POST /auth/register</c>.</summary>
public sealed record RegisterRequest(string? Username, string? Email, string? Password);

namespace Rotor.Contracts;

/// <summary>Body of <c>POST /auth/refresh</c> and <c>POST /auth/logout</c> for native sessions.</summary>
public sealed record RefreshRequest(string? RefreshToken);

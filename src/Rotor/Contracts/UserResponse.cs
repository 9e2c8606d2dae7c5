namespace Rotor.Contracts;

/// <summary>A user as Rotor shows it.</summary>
public sealed record UserResponse(string Id, string? Username, string? Email);

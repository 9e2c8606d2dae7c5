namespace Rotor.Client;

/// <summary>The signed-in user as the Rotor server describes it.</summary>
/// <param name="Id">The user's id on the server.</param>
/// <param name="Username">The user's name.</param>
/// <param name="Email">The user's email address, when the server has one.</param>
public sealed record RotorUser(string Id, string Username, string? Email);

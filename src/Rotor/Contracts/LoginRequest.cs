namespace Rotor.Contracts;

/// <summary>Body of <c>POST /auth/login</c>.</summary>
/// <param name="Username">The username or the email address.</param>
/// <param name="Email">The email address, as an alternative to <paramref name="Username"/>.</param>
/// <param name="Password">The password, never transformed.</param>
/// <param name="Mode"><c>browser</c> (default: refresh token in an HttpOnly cookie) or <c>native</c> (refresh token in the body).</param>
public sealed record LoginRequest(string? Username, string? Email, string? Password, string? Mode);

namespace Rotor.Sessions;

/// <summary>The user fields Rotor returns and puts in access tokens.</summary>
internal sealed record RotorUserInfo(string Id, string? UserName, string? Email);

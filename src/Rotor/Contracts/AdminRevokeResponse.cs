namespace Rotor.Contracts;

/// <summary>The answer of the admin actions that end sessions (revoke all, lock).</summary>
/// <param name="Revoked">How many live sessions were ended.</param>
public sealed record AdminRevokeResponse(int Revoked);

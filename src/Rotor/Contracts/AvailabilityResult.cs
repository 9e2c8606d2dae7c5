namespace Rotor.Contracts;

/// <summary>Whether a username or email address could be registered now.</summary>
/// <param name="Available">True when it is well-formed and nobody uses it (after normalisation and case folding).</param>
/// <param name="Reason">When not available: <c>taken</c> or <c>invalid</c>.</param>
public sealed record AvailabilityResult(bool Available, string? Reason);

namespace Rotor.Contracts;

/// <summary>The answer of <c>GET /auth/availability</c>: an entry for each of <c>username</c> and <c>email</c> that was asked about.</summary>
public sealed record AvailabilityResponse(AvailabilityResult? Username, AvailabilityResult? Email);

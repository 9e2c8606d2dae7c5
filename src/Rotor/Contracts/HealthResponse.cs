namespace Rotor.Contracts;

/// <summary>The answer of <c>GET /healthz</c>.</summary>
public sealed record HealthResponse(string Status);

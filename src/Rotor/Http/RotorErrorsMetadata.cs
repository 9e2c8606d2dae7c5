namespace Rotor.Http;

/// <summary>
/// Endpoint metadata: the Rotor error codes an endpoint can answer with, each with the status it is sent with
/// (<see cref="RotorErrorTable"/>'s unless the endpoint overrides it). The OpenAPI document (Rotor.OpenApi) lists them
/// per operation, and the contract tests check that every documented status is one of these or of the typed results.
/// </summary>
internal sealed class RotorErrorsMetadata(IReadOnlyList<(string Code, int Status)> errors)
{
    public IReadOnlyList<(string Code, int Status)> Errors { get; } = errors;
}

namespace Rotor.Http;

/// <summary>Endpoint metadata that marks the endpoints <c>MapRotor</c> maps, so the OpenAPI description and its tests can find them.</summary>
internal sealed class RotorEndpointMetadata
{
    public static readonly RotorEndpointMetadata Instance = new();
}

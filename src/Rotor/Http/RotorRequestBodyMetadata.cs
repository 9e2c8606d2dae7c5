namespace Rotor.Http;

/// <summary>
/// Endpoint metadata: the endpoint reads a JSON body of <see cref="Type"/> itself (<see cref="JsonBody"/>), so the OpenAPI
/// document can describe it. Not <c>IAcceptsMetadata</c>: routing would then refuse other media types with a bare 415
/// before the endpoint's own problem answer (<c>unsupported_media_type</c>).
/// </summary>
internal sealed class RotorRequestBodyMetadata(Type type, bool optional)
{
    public Type Type { get; } = type;

    public bool Optional { get; } = optional;
}

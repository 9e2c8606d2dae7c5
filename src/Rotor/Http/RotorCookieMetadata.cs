namespace Rotor.Http;

/// <summary>Endpoint metadata: the endpoint reads the refresh cookie (browser mode), so the OpenAPI document names the cookie scheme.</summary>
internal sealed class RotorCookieMetadata
{
    public static readonly RotorCookieMetadata Instance = new();
}

namespace Rotor.Fleet.Tests;

/// <summary>A native client's session: its id and the tokens it holds now.</summary>
public sealed class FleetSession(string id, string accessToken, string refreshToken)
{
    public string Id { get; } = id;

    public string AccessToken { get; set; } = accessToken;

    public string RefreshToken { get; set; } = refreshToken;
}

namespace Rotor.Host.Demo;

/// <summary>The demo API's answer.</summary>
public sealed record DemoTimeResponse(DateTimeOffset ServerTime, string UserId, string? Username);

namespace Rotor.Tests.Infrastructure;

public sealed record BrowserSession(string Username, string AccessToken, string Cookie, Guid SessionId);

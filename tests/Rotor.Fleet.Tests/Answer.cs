namespace Rotor.Fleet.Tests;

/// <summary>What a refresh got: the status (0: no answer, the connection failed), the problem code, the wait, the tokens.</summary>
public sealed record Answer(int Status, string? Code, TimeSpan? RetryAfter, string? AccessToken, string? RefreshToken);

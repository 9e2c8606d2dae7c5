namespace Rotor.Sessions;

/// <summary>A refresh's outcome: new tokens, or the error code of a refusal (a value, not an exception).</summary>
internal readonly record struct RefreshResult(SessionTokens? Tokens, string? ErrorCode)
{
    public static RefreshResult Success(SessionTokens tokens) => new(tokens, null);

    public static RefreshResult Failure(string code) => new(null, code);
}

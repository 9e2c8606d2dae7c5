namespace Rotor.Tokens;

/// <summary>The outcome of validating an access token: the token, or why it was refused.</summary>
internal readonly record struct AccessTokenValidation(ValidatedAccessToken? Token, string? Failure)
{
    public static AccessTokenValidation Valid(ValidatedAccessToken token) => new(token, null);

    public static AccessTokenValidation Invalid(string failure) => new(null, failure);
}

using System.Reflection;
using Rotor.Http;
using Rotor.OAuth;

namespace Rotor.Tests.OAuth;

/// <summary>The mapping from Rotor's codes to OAuth errors holds to its meaning, row by row.</summary>
public sealed class OAuthErrorTableTests
{
    private static readonly string[] SessionEnded =
    [
        RotorErrorCodes.RefreshTokenInvalid, RotorErrorCodes.RefreshTokenExpired, RotorErrorCodes.SessionRevoked,
        RotorErrorCodes.RefreshTokenReused, RotorErrorCodes.AccountUnavailable,
    ];

    [Fact]
    public void Every_ended_session_is_invalid_grant_400_and_nothing_else_is()
    {
        foreach (var code in SessionEnded)
        {
            Assert.Equal(new OAuthErrorTable.Entry("invalid_grant", 400), OAuthErrorTable.Find(code));
        }

        Assert.All(OAuthErrorTable.Codes.Except(SessionEnded), code => Assert.NotEqual("invalid_grant", OAuthErrorTable.Find(code).Error));
    }

    [Fact]
    public void Waits_are_temporarily_unavailable_with_their_own_status()
    {
        Assert.Equal(new OAuthErrorTable.Entry("temporarily_unavailable", 503), OAuthErrorTable.Find(RotorErrorCodes.ServiceUnavailable));
        Assert.Equal(new OAuthErrorTable.Entry("temporarily_unavailable", 429), OAuthErrorTable.Find(RotorErrorCodes.RateLimited));
    }

    [Fact]
    public void Dpop_refusals_are_400_as_rfc_9449_says_for_the_token_endpoint()
    {
        Assert.Equal(new OAuthErrorTable.Entry("invalid_dpop_proof", 400), OAuthErrorTable.Find(RotorErrorCodes.InvalidDpopProof));
        Assert.Equal(new OAuthErrorTable.Entry("use_dpop_nonce", 400), OAuthErrorTable.Find(RotorErrorCodes.UseDpopNonce));
    }

    [Fact]
    public void A_code_without_a_row_is_a_server_error_and_every_row_is_a_rotor_code()
    {
        Assert.Equal(new OAuthErrorTable.Entry("server_error", 500), OAuthErrorTable.Find("no_such_code"));
        var codes = typeof(RotorErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToHashSet();
        Assert.All(OAuthErrorTable.Codes, code => Assert.Contains(code, codes));
    }

    [Theory]
    [InlineData("plain sentence.", "plain sentence.")]
    [InlineData("say \"hi\" \\ now", "say  hi    now")]
    [InlineData("tab\there — dash", "tab here   dash")]
    public void Descriptions_keep_to_the_characters_rfc_6749_allows(string text, string expected) =>
        Assert.Equal(expected, OAuthResults.Describe(text));
}

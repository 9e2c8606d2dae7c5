using Rotor.Dpop;

namespace Rotor.Tests.Dpop;

/// <summary>A proof's <c>htu</c> and the request's URL are compared after RFC 3986 normalisation, without query and fragment.</summary>
public sealed class DpopUriTests
{
    [Theory]
    [InlineData("HTTPS://Example.COM:443/a/b", "https://example.com/a/b")]
    [InlineData("http://example.com:80/", "http://example.com/")]
    [InlineData("http://example.com", "http://example.com/")]
    [InlineData("https://example.com:8443/a?x=1#f", "https://example.com:8443/a")]
    [InlineData("https://example.com/a/../b/%7Euser", "https://example.com/b/~user")]
    public void URLs_are_normalised_before_they_are_compared(string htu, string expected) =>
        Assert.Equal(expected, DpopProofValidator.NormalizeUri(htu));

    [Theory]
    [InlineData("/relative")]
    [InlineData("ftp://example.com/a")]
    [InlineData("https://user:pw@example.com/a")]
    [InlineData("not a url")]
    public void Other_URLs_match_nothing(string htu) => Assert.Null(DpopProofValidator.NormalizeUri(htu));
}

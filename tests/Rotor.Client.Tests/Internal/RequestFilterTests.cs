using Rotor.Client.Internal;

namespace Rotor.Client.Tests.Internal;

public sealed class RequestFilterTests
{
    private static readonly RequestFilter Filter = new(
        new Uri("https://auth.example.com/"),
        [new Uri("https://api.example.com")],
        new RotorSessionOptions().ExcludedPaths);

    [Theory]
    [InlineData("https://auth.example.com/users/me", true)]
    [InlineData("https://AUTH.example.com:443/users/me?x=1", true)]
    [InlineData("https://api.example.com/orders", true)]
    [InlineData("https://auth.example.com/auth/login", false)]
    [InlineData("https://auth.example.com/auth/LOGIN/", false)]
    [InlineData("https://auth.example.com/auth/refresh?from=app", false)]
    [InlineData("https://auth.example.com/api/auth/register", false)]
    [InlineData("https://auth.example.com/auth/verify-otp#x", false)]
    [InlineData("https://auth.example.com/auth/x/../login", false)]
    [InlineData("https://auth.example.com/auth/logout", true)]
    [InlineData("https://auth.example.com/auth/login-history", true)]
    [InlineData("http://auth.example.com/users/me", false)]
    [InlineData("https://auth.example.com:8443/users/me", false)]
    [InlineData("https://evil.example.com/users/me", false)]
    [InlineData("https://auth.example.com.evil.example/users/me", false)]
    public void Only_the_servers_origin_and_non_excluded_paths_get_the_token(string uri, bool authorized) =>
        Assert.Equal(authorized, Filter.ShouldAuthorize(new Uri(uri)));

    [Fact]
    public void A_very_long_uri_still_matches()
    {
        var uri = new Uri("https://auth.example.com/" + new string('a', 2000) + "/auth/login");
        Assert.False(Filter.ShouldAuthorize(uri));
    }
}

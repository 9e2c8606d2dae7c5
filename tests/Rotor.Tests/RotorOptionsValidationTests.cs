using Microsoft.Extensions.Options;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests;

public sealed class RotorOptionsValidationTests
{
    [Theory]
    [InlineData("Rotor:AccessTokenLifetime", "00:00:00", "Rotor:AccessTokenLifetime")]
    [InlineData("Rotor:AccessTokenLifetime", "08:00:00", "Rotor:AccessTokenLifetime")]
    [InlineData("Rotor:RefreshTokenLifetime", "60.00:00:00", "must not exceed Rotor:SessionLifetime")]
    [InlineData("Rotor:RotationGracePeriod", "-00:00:01", "Rotor:RotationGracePeriod")]
    [InlineData("Rotor:AllowedOrigins:0", "null", "Rotor:AllowedOrigins")]
    [InlineData("Rotor:AllowedOrigins:0", "*", "Rotor:AllowedOrigins")]
    [InlineData("Rotor:AllowedOrigins:0", "https://app.example.com/path", "Rotor:AllowedOrigins")]
    [InlineData("Rotor:Issuer", " ", "Rotor:Issuer")]
    [InlineData("Rotor:Keys:AnnouncePeriod", "00:09:00", "at least twice Rotor:Keys:JwksCacheDuration")]
    [InlineData("Rotor:Keys:JwksCacheDuration", "00:00:00", "Rotor:Keys:JwksCacheDuration")]
    [InlineData("Rotor:Dpop:AllowedAlgorithms:0", "HS256", "Rotor:Dpop:AllowedAlgorithms")]
    [InlineData("Rotor:Dpop:AllowedAlgorithms:0", "none", "Rotor:Dpop:AllowedAlgorithms")]
    [InlineData("Rotor:Dpop:ProofLifetime", "01:00:00", "Rotor:Dpop:ProofLifetime")]
    [InlineData("Rotor:Dpop:ClockSkew", "-00:00:01", "Rotor:Dpop:ClockSkew")]
    [InlineData("Rotor:Dpop:NonceLifetime", "00:00:01", "Rotor:Dpop:NonceLifetime")]
    [InlineData("Rotor:Dpop:Origin", "https://auth.example.com/rotor", "Rotor:Dpop:Origin")]
    public void A_bad_setting_stops_the_start_with_a_message_naming_it(string key, string value, string expected)
    {
        using var app = new RotorApp(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string?, string?, string?, string> BadCookies => new()
    {
        // The default __Host- name with a path browsers would refuse it on.
        { null, null, "/auth", "set Rotor:RefreshCookie:Path to /" },
        { "__Host-my_refresh", null, "/auth", "set Rotor:RefreshCookie:Path to /" },
        // A __Host- name chosen explicitly but not Secure.
        { "__Host-rotor_refresh", "false", null, "set Secure to true" },
        { "__Host-my_refresh", "false", "/", "set Secure to true" },
        { "__Secure-my_refresh", "false", null, "set Secure to true" },
        { "two words", null, null, "Rotor:RefreshCookie:Name" },
        { "a;b", null, null, "Rotor:RefreshCookie:Name" },
        { null, null, "auth", "Rotor:RefreshCookie:Path" },
    };

    [Theory]
    [MemberData(nameof(BadCookies))]
    public void A_refresh_cookie_a_browser_would_refuse_stops_the_start_and_says_what_to_set(string? name, string? secure, string? path, string expected)
    {
        var settings = new Dictionary<string, string?>();
        if (name is not null)
        {
            settings["Rotor:RefreshCookie:Name"] = name;
        }

        if (secure is not null)
        {
            settings["Rotor:RefreshCookie:Secure"] = secure;
        }

        if (path is not null)
        {
            settings["Rotor:RefreshCookie:Path"] = path;
        }

        using var app = new RotorApp(settings);

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rotor_refresh", "true", "/auth", "rotor_refresh", "/auth")]
    [InlineData("__Host-myapp", "true", "/", "__Host-myapp", "/")]
    [InlineData(null, "false", "/", "rotor_refresh", "/")]
    public async Task A_cookie_a_browser_accepts_starts_and_is_set_as_configured(string? name, string secure, string path, string expectedName, string expectedPath)
    {
        var settings = new Dictionary<string, string?> { ["Rotor:RefreshCookie:Secure"] = secure, ["Rotor:RefreshCookie:Path"] = path };
        if (name is not null)
        {
            settings["Rotor:RefreshCookie:Name"] = name;
        }

        using var app = new RotorApp(settings);
        using var client = app.Client();
        var user = await client.RegisterAsync();

        using var response = await client.LoginAsync((string)user["username"]!);

        var cookie = RotorClient.SetCookie(response, expectedName);
        Assert.NotNull(cookie);
        Assert.Equal(expectedPath, cookie.Attributes["path"]);
    }

    [Fact]
    public async Task Lifetimes_are_read_from_the_environment_style_keys()
    {
        using var app = new RotorApp(new Dictionary<string, string?> { ["Rotor:AccessTokenLifetime"] = "00:00:05" });
        using var client = app.Client();

        var session = await client.NewNativeSessionAsync();
        var payload = RotorClient.DecodeJwtPart(session.AccessToken, 1);

        Assert.Equal(5, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task A_short_jwks_cache_allows_an_announce_period_of_seconds_and_is_what_the_jwks_says()
    {
        using var app = new RotorApp(new Dictionary<string, string?>
        {
            ["Rotor:Keys:JwksCacheDuration"] = "00:00:02",
            ["Rotor:Keys:AnnouncePeriod"] = "00:00:04",
            ["Rotor:Keys:CheckInterval"] = "00:00:01",
            ["Rotor:Keys:SigningKeyLifetime"] = "00:00:10",
        });
        using var client = app.Client();

        using var response = await client.SendAsync(HttpMethod.Get, "/.well-known/jwks.json", null);

        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.CacheControl!.MaxAge);
    }
}

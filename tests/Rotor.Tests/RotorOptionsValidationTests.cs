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
    public void A_bad_setting_stops_the_start_with_a_message_naming_it(string key, string value, string expected)
    {
        using var app = new RotorApp(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        var validation = Assert.IsType<OptionsValidationException>(error is OptionsValidationException ? error : error.InnerException ?? error);
        Assert.Contains(expected, validation.Message, StringComparison.Ordinal);
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
}

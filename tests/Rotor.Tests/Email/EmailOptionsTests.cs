using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Email;

public sealed class EmailOptionsTests
{
    [Theory]
    [InlineData("Rotor:PublicOrigin", "ftp://example.com", "Rotor:PublicOrigin")]
    [InlineData("Rotor:PublicOrigin", "https://example.com/app", "Rotor:PublicOrigin")]
    [InlineData("Rotor:PublicOrigin", "example.com", "Rotor:PublicOrigin")]
    [InlineData("Rotor:Email:From", "not an address", "Rotor:Email:From")]
    [InlineData("Rotor:PasswordResetLifetime", "00:00:01", "Rotor:PasswordResetLifetime")]
    [InlineData("Rotor:RateLimits:Login:PerAddress", "-1", "Rotor:RateLimits:Login")]
    public void Misconfiguration_stops_the_start_with_a_message_naming_the_key(string key, string value, string named)
    {
        using var app = new RotorApp(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_username_without_a_password_is_refused_when_smtp_is_configured()
    {
        using var app = new RotorApp(new Dictionary<string, string?> { ["Rotor:Email:Host"] = "smtp.example.com", ["Rotor:Email:Username"] = "someone" });

        var error = Assert.ThrowsAny<Exception>(() => app.Client());

        Assert.Contains("Rotor:Email:Password", error.ToString(), StringComparison.Ordinal);
    }
}

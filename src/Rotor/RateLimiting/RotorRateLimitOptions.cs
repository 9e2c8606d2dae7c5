namespace Rotor.RateLimiting;

/// <summary>
/// Rate limits of the endpoints an attacker would hammer, bound from <c>Rotor:RateLimits</c> (for example
/// <c>Rotor:RateLimits:Login:PerAddress</c>). An exceeded limit answers 429 <c>rate_limited</c> with Retry-After.
/// The client address is the connection's, or the one a known proxy forwarded (<c>Rotor:ForwardedHeaders</c>).
/// </summary>
public sealed class RotorRateLimitOptions
{
    /// <summary>Whether the limits apply at all. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where the counts are kept: <see cref="RotorRateLimitStore.Database"/> (the default, shared by every instance
    /// on the database) or <see cref="RotorRateLimitStore.Memory"/> (this process only).
    /// </summary>
    public RotorRateLimitStore Store { get; set; } = RotorRateLimitStore.Database;

    /// <summary>
    /// <c>POST /auth/login</c>. Default: 20 per address and 10 per account per minute. The account is the one the
    /// name or address resolves to (a username and its email address count as one); lockout still counts wrong passwords.
    /// </summary>
    public RotorRateLimit Login { get; } = new(20, 10, TimeSpan.FromMinutes(1));

    /// <summary><c>POST /auth/register</c>. Default: 10 per address and 3 per email address per 10 minutes.</summary>
    public RotorRateLimit Register { get; } = new(10, 3, TimeSpan.FromMinutes(10));

    /// <summary><c>GET /auth/availability</c>. Default: 60 per address per minute.</summary>
    public RotorRateLimit Availability { get; } = new(60, 0, TimeSpan.FromMinutes(1));

    /// <summary><c>POST /auth/verify-otp</c>. Default: 20 per address and 10 per email address per 10 minutes.</summary>
    public RotorRateLimit VerifyOtp { get; } = new(20, 10, TimeSpan.FromMinutes(10));

    /// <summary><c>POST /auth/resend-otp</c>. Default: 10 per address and 3 per email address per 10 minutes.</summary>
    public RotorRateLimit ResendOtp { get; } = new(10, 3, TimeSpan.FromMinutes(10));

    /// <summary><c>POST /auth/forgot-password</c>. Default: 10 per address and 3 per email address per 15 minutes.</summary>
    public RotorRateLimit ForgotPassword { get; } = new(10, 3, TimeSpan.FromMinutes(15));

    /// <summary>
    /// <c>POST /auth/reset-password/check</c> (the reset page asks whether its link still works when it opens).
    /// Default: 30 per address per 15 minutes.
    /// </summary>
    public RotorRateLimit ResetPasswordCheck { get; } = new(30, 0, TimeSpan.FromMinutes(15));

    internal IEnumerable<(string Name, RotorRateLimit Limit)> All()
    {
        yield return (nameof(Login), Login);
        yield return (nameof(Register), Register);
        yield return (nameof(Availability), Availability);
        yield return (nameof(VerifyOtp), VerifyOtp);
        yield return (nameof(ResendOtp), ResendOtp);
        yield return (nameof(ForgotPassword), ForgotPassword);
        yield return (nameof(ResetPasswordCheck), ResetPasswordCheck);
    }
}

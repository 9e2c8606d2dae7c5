namespace Rotor.Contracts;

/// <summary>Body of <c>POST /auth/verify-otp</c>.</summary>
/// <param name="Email">The address the code was sent to.</param>
/// <param name="Code">The 6-digit code.</param>
/// <param name="Mode"><c>browser</c> (default: refresh token in an HttpOnly cookie) or <c>native</c> (refresh token in the body).</param>
public sealed record VerifyOtpRequest(string? Email, string? Code, string? Mode);

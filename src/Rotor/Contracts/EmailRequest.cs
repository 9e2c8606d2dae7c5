namespace Rotor.Contracts;

/// <summary>Body of <c>POST /auth/resend-otp</c> and <c>POST /auth/forgot-password</c>.</summary>
public sealed record EmailRequest(string? Email);

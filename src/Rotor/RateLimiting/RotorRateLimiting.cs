using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Rotor.Http;

namespace Rotor.RateLimiting;

/// <summary>The names of Rotor's rate-limit policies, the client key the per-address limits count, and the shared 429 answer.</summary>
internal static class RotorRateLimiting
{
    public const string Prefix = "rotor-";
    public const string Login = Prefix + nameof(RotorRateLimitOptions.Login);
    public const string Register = Prefix + nameof(RotorRateLimitOptions.Register);
    public const string Availability = Prefix + nameof(RotorRateLimitOptions.Availability);
    public const string VerifyOtp = Prefix + nameof(RotorRateLimitOptions.VerifyOtp);
    public const string ResendOtp = Prefix + nameof(RotorRateLimitOptions.ResendOtp);
    public const string ForgotPassword = Prefix + nameof(RotorRateLimitOptions.ForgotPassword);
    public const string ResetPasswordCheck = Prefix + nameof(RotorRateLimitOptions.ResetPasswordCheck);

    /// <summary>The 429 answer, with Retry-After in whole seconds (at least 1).</summary>
    public static IResult Rejected(HttpContext context, TimeSpan? retryAfter)
    {
        context.Response.Headers.Vary = "Origin";
        return RotorProblems.For(context, new RotorError(RotorErrorCodes.RateLimited, retryAfter ?? TimeSpan.FromSeconds(60)));
    }

    /// <summary>The client address the per-address limits count: IPv6 by /64, since one subscriber usually holds a whole /64.</summary>
    public static string ClientKey(HttpContext context) => ClientKey(context.Connection.RemoteIpAddress);

    /// <summary>The key of <paramref name="address"/>, as <see cref="ClientKey(HttpContext)"/> counts it.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }
}

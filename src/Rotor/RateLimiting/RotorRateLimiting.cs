using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Rotor.Http;

namespace Rotor.RateLimiting;

/// <summary>Rotor's per-address policies for ASP.NET Core's rate limiter, and the shared 429 answer.</summary>
internal static class RotorRateLimiting
{
    public const string Login = "rotor-" + nameof(RotorRateLimitOptions.Login);
    public const string Register = "rotor-" + nameof(RotorRateLimitOptions.Register);
    public const string Availability = "rotor-" + nameof(RotorRateLimitOptions.Availability);
    public const string VerifyOtp = "rotor-" + nameof(RotorRateLimitOptions.VerifyOtp);
    public const string ResendOtp = "rotor-" + nameof(RotorRateLimitOptions.ResendOtp);
    public const string ForgotPassword = "rotor-" + nameof(RotorRateLimitOptions.ForgotPassword);

    public static void AddPolicies(RateLimiterOptions limiter, RotorRateLimitOptions options)
    {
        foreach (var (name, limit) in options.All())
        {
            limiter.AddPolicy("rotor-" + name, context =>
                !options.Enabled || limit.PerAddress <= 0
                    ? RateLimitPartition.GetNoLimiter("")
                    : RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => Window(limit.PerAddress, limit.Window)));
        }

        // An app that set its own rejection answer keeps it; otherwise refusals are Rotor's problem+json.
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected ??= (rejected, _) =>
        {
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : (TimeSpan?)null;
            return new ValueTask(Rejected(rejected.HttpContext, retryAfter).ExecuteAsync(rejected.HttpContext));
        };
    }

    public static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

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

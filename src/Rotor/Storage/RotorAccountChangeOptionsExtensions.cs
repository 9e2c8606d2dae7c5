using Rotor.Storage;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds Rotor's account-change recording to an EF Core context's options.</summary>
public static class RotorAccountChangeOptionsExtensions
{
    private static readonly RotorAccountChangeInterceptor Interceptor = new();

    /// <summary>
    /// Records users whose security stamp or lockout changed, or who were deleted, so the next revocation poll ends their
    /// sessions (see <see cref="RotorAccountChangeInterceptor"/>). Without it only the poll's sweep, one page of sessions
    /// per poll, finds them: at once for thousands of sessions, after an hour or more for millions.
    /// </summary>
    public static DbContextOptionsBuilder AddRotorAccountChanges(this DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddInterceptors(Interceptor);
    }
}

using Rotor.Storage;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds Rotor's account-change recording to an EF Core context's options.</summary>
public static class RotorAccountChangeOptionsExtensions
{
    private static readonly RotorAccountChangeInterceptor Interceptor = new();

    /// <summary>
    /// Records users whose security stamp or lockout changed, or who were deleted, so the revocation poll checks only
    /// their sessions (see <see cref="RotorAccountChangeInterceptor"/>). Without it the poll compares every live session
    /// with its user, which is fine for thousands of sessions and too slow for millions.
    /// </summary>
    public static DbContextOptionsBuilder AddRotorAccountChanges(this DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddInterceptors(Interceptor);
    }
}

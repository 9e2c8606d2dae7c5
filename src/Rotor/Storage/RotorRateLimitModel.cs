using Rotor.Storage;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Maps <see cref="RotorRateLimitCount"/> (called by <see cref="RotorModelBuilderExtensions.UseRotor{TUser}"/>).</summary>
internal static class RotorRateLimitModel
{
    public static void MapRateLimits(this ModelBuilder builder)
    {
        builder.Entity<RotorRateLimitCount>(count =>
        {
            count.ToTable("rotor_rate_limits");
            count.HasKey(c => new { c.Policy, c.Key });
            count.Property(c => c.Policy).HasMaxLength(64);
            count.Property(c => c.Key).HasMaxLength(64);
            count.Property(c => c.WindowStart).HasConversion(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
            count.Property(c => c.ExpiresAt).HasConversion(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
            count.HasIndex(c => c.ExpiresAt);
        });
    }
}

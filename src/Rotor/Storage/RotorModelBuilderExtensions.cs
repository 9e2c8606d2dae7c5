using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Rotor.Storage;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds Rotor's tables to an application's EF Core model.</summary>
public static class RotorModelBuilderExtensions
{
    /// <summary>The shadow property on the user entity that records the last sign-in.</summary>
    public const string LastLoginAtProperty = "LastLoginAt";

    // Times are stored as Unix milliseconds so that every provider compares them as integers
    // (SQLite cannot compare DateTimeOffset text in queries).
    private static readonly ValueConverter<DateTimeOffset, long> UnixMs =
        new(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));

    private static readonly ValueConverter<TimeSpan, long> Milliseconds =
        new(v => (long)v.TotalMilliseconds, v => TimeSpan.FromMilliseconds(v));

    private static readonly ValueConverter<DateTimeOffset?, long?> NullableUnixMs =
        new(v => v.HasValue ? v.Value.ToUnixTimeMilliseconds() : null, v => v.HasValue ? DateTimeOffset.FromUnixTimeMilliseconds(v.Value) : null);

    /// <summary>
    /// Maps <see cref="RotorSession"/>, <see cref="RotorSecurityEvent"/>, <see cref="RotorAccountToken"/>,
    /// <see cref="RotorSignInFailure"/>, <see cref="RotorEmailVerification"/>, <see cref="RotorCodeBudget"/>, <see cref="RotorKeyRecord"/>,
    /// <see cref="RotorRevocation"/>, <see cref="RotorRateLimitCount"/>, <see cref="RotorAccountChange"/> and <see cref="RotorDpopProof"/> and adds a <c>LastLoginAt</c>
    /// property to <typeparamref name="TUser"/>. Call it from <c>OnModelCreating</c> after <c>base.OnModelCreating</c>.
    /// </summary>
    public static ModelBuilder UseRotor<TUser>(this ModelBuilder builder)
        where TUser : IdentityUser
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Entity<TUser>(user =>
        {
            user.Property<DateTimeOffset?>(LastLoginAtProperty).HasConversion(NullableUnixMs);
            user.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName("RotorUniqueEmailIndex");
        });

        builder.Entity<RotorSession>(session =>
        {
            session.ToTable("rotor_sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.UserId).HasMaxLength(450).IsRequired();
            session.Property(s => s.CreatedAt).HasConversion(UnixMs);
            session.Property(s => s.LastUsedAt).HasConversion(UnixMs);
            session.Property(s => s.RotatedAt).HasConversion(NullableUnixMs);
            session.Property(s => s.ExpiresAt).HasConversion(UnixMs);
            session.Property(s => s.IdleExpiresAt).HasConversion(UnixMs);
            session.Property(s => s.RevokedAt).HasConversion(NullableUnixMs);
            session.Property(s => s.RevocationReason).HasMaxLength(64);
            session.Property(s => s.Mode).HasMaxLength(16).IsRequired();
            session.Property(s => s.UserAgent).HasMaxLength(512);
            session.Property(s => s.IpAddress).HasMaxLength(64);
            session.Property(s => s.SecurityStamp).HasMaxLength(256);
            session.Property(s => s.AuthenticatedAt).HasConversion(NullableUnixMs);
            session.Property(s => s.DpopJkt).HasMaxLength(64);
            session.HasIndex(s => s.UserId);
            session.HasIndex(s => s.ExpiresAt);
            session.HasIndex(s => s.RevokedAt);
            // No foreign key to the user on purpose: when the app deletes a user, the sessions stay long enough
            // for the revocation poll to end them everywhere (and say so on refresh), then the purge removes them.
        });

        builder.Entity<RotorRevocation>(revocation =>
        {
            // Filled by the provider's trigger on rotor_sessions (see IRotorDatabaseProvider.PrepareAsync), never by Rotor's code.
            revocation.ToTable("rotor_revocations");
            revocation.HasKey(r => r.Sequence);
            revocation.Property(r => r.Sequence).ValueGeneratedOnAdd();
            revocation.Property(r => r.RevokedAt).HasConversion(UnixMs);
            revocation.HasIndex(r => r.RevokedAt);
        });

        builder.Entity<RotorAccountChange>(change =>
        {
            change.ToTable("rotor_account_changes");
            change.HasKey(c => c.Id);
            change.Property(c => c.UserId).HasMaxLength(450).IsRequired();
            // No foreign key: a deleted user's change must outlive the user until the poll has ended their sessions.
        });

        builder.Entity<RotorSecurityEvent>(evt =>
        {
            evt.ToTable("rotor_security_events");
            evt.HasKey(e => e.Id);
            evt.Property(e => e.UserId).HasMaxLength(450);
            evt.Property(e => e.Type).HasMaxLength(64).IsRequired();
            evt.Property(e => e.OccurredAt).HasConversion(UnixMs);
            evt.Property(e => e.IpAddress).HasMaxLength(64);
            evt.Property(e => e.UserAgent).HasMaxLength(512);
            evt.Property(e => e.Detail).HasMaxLength(256);
            evt.Property(e => e.ActorId).HasMaxLength(450);
            evt.HasIndex(e => new { e.UserId, e.Id });
            // What one admin did, for an audit: only admin actions fill it, so the index stays small.
            evt.HasIndex(e => new { e.ActorId, e.Id });
            evt.HasIndex(e => e.OccurredAt);
        });

        builder.Entity<RotorAccountToken>(token =>
        {
            token.ToTable("rotor_account_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.UserId).HasMaxLength(450).IsRequired();
            token.Property(t => t.Purpose).HasMaxLength(32).IsRequired();
            token.Property(t => t.Hash).HasMaxLength(32).IsRequired();
            token.Property(t => t.Salt).HasMaxLength(32).IsRequired();
            token.Property(t => t.CreatedAt).HasConversion(UnixMs);
            token.Property(t => t.ExpiresAt).HasConversion(UnixMs);
            token.Property(t => t.ConsumedAt).HasConversion(NullableUnixMs);
            token.HasIndex(t => new { t.UserId, t.Purpose });
            token.HasIndex(t => t.ExpiresAt);
            token.HasOne<TUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<RotorSignInFailure>(failure =>
        {
            failure.ToTable("rotor_sign_in_failures");
            failure.HasKey(f => new { f.Account, f.Source });
            failure.Property(f => f.Account).HasMaxLength(512);
            failure.Property(f => f.Source).HasMaxLength(64);
            failure.Property(f => f.LastLockout).HasConversion(Milliseconds);
            failure.Property(f => f.LockedUntil).HasConversion(NullableUnixMs);
            failure.Property(f => f.LastFailureAt).HasConversion(UnixMs);
            failure.Property(f => f.WindowStart).HasConversion(UnixMs);
            failure.Property(f => f.ExpiresAt).HasConversion(UnixMs);
            failure.HasIndex(f => f.ExpiresAt);
            // No foreign key: rows for names that match no user have no user, and a deleted user's rows expire.
        });

        builder.Entity<RotorEmailVerification>(verification =>
        {
            verification.ToTable("rotor_email_verifications");
            verification.HasKey(v => v.UserId);
            verification.Property(v => v.UserId).HasMaxLength(450);
            verification.Property(v => v.Email).HasMaxLength(256).IsRequired();
            verification.Property(v => v.Reason).HasMaxLength(16).IsRequired();
            verification.Property(v => v.StartedAt).HasConversion(UnixMs);
            verification.HasOne<TUser>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<RotorCodeBudget>(budget =>
        {
            budget.ToTable("rotor_code_budgets");
            budget.HasKey(b => b.Key);
            budget.Property(b => b.Key).HasMaxLength(64);
            budget.Property(b => b.WindowStartedAt).HasConversion(UnixMs);
            budget.Property(b => b.BlockedUntil).HasConversion(NullableUnixMs);
            budget.Property(b => b.UpdatedAt).HasConversion(UnixMs);
            budget.Property(b => b.Version).IsConcurrencyToken();
            budget.HasIndex(b => b.UpdatedAt);
        });

        builder.Entity<RotorKeyRecord>(key =>
        {
            key.ToTable("rotor_keys");
            // The key (kind, generation) is the rotation's arbiter: of two instances adding the same next generation, one fails.
            key.HasKey(k => new { k.Kind, k.Generation });
            key.Property(k => k.Kind).HasMaxLength(16);
            key.Property(k => k.CreatedAt).HasConversion(UnixMs);
            key.Property(k => k.ActivatesAt).HasConversion(UnixMs);
            key.Property(k => k.Material).IsRequired();
        });

        builder.Entity<RotorDpopProof>(proof =>
        {
            proof.ToTable("rotor_dpop_proofs");
            proof.HasKey(p => p.Key);
            proof.Property(p => p.Key).HasMaxLength(64);
            proof.Property(p => p.ExpiresAt).HasConversion(UnixMs);
            proof.HasIndex(p => p.ExpiresAt);
        });

        builder.MapRateLimits();
        return builder;
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rotor.Storage;

/// <summary>
/// Records a <see cref="RotorAccountChange"/> in the same <c>SaveChanges</c> (so the same transaction) whenever a user's
/// security stamp, lockout end or lockout switch changes or the user is deleted, which is how every <c>UserManager</c>
/// operation that must end sessions writes. The revocation poll then ends those users' sessions within one poll; without
/// this interceptor only its sweep (one page of sessions per poll) finds them, which at millions of sessions takes an
/// hour or more (docs/scaling.md). Add it with <c>AddRotorAccountChanges()</c> on the context's options.
/// </summary>
public sealed class RotorAccountChangeInterceptor : SaveChangesInterceptor
{
    private static readonly string[] Watched =
        [nameof(IdentityUser.SecurityStamp), nameof(IdentityUser.LockoutEnd), nameof(IdentityUser.LockoutEnabled)];

    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Record(DbContext? context)
    {
        if (context is null || context.Model.FindEntityType(typeof(RotorAccountChange)) is null)
        {
            return;
        }

        // Interceptors run before SaveChanges detects changes: without this, edits to tracked users are not seen yet.
        if (context.ChangeTracker.AutoDetectChangesEnabled)
        {
            context.ChangeTracker.DetectChanges();
        }

        List<string>? changed = null;
        foreach (var entry in context.ChangeTracker.Entries<IdentityUser>())
        {
            // Values, not IsModified: Identity's UserStore.UpdateAsync marks every property modified on each update.
            var ends = entry.State == EntityState.Deleted
                || (entry.State == EntityState.Modified && Array.Exists(Watched, name =>
                    !Equals(entry.Property(name).OriginalValue, entry.Property(name).CurrentValue)));
            if (ends)
            {
                (changed ??= []).Add(entry.Entity.Id);
            }
        }

        if (changed is not null)
        {
            context.Set<RotorAccountChange>().AddRange(changed.ConvertAll(id => new RotorAccountChange { UserId = id }));
        }
    }
}

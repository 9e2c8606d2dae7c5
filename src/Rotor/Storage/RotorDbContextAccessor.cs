using Microsoft.EntityFrameworkCore;

namespace Rotor.Storage;

/// <summary>The application's context that holds Rotor's tables, for provider packages that need its connection or model (scoped).</summary>
internal sealed class RotorDbContextAccessor(DbContext context)
{
    public DbContext Context { get; } = context;
}

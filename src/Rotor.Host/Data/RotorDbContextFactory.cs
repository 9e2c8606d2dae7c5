using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Rotor.Host.Data;

/// <summary>Lets the EF Core tools build the context without starting the host (used to add migrations).</summary>
public sealed class RotorDbContextFactory : IDesignTimeDbContextFactory<RotorDbContext>
{
    public RotorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RotorDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

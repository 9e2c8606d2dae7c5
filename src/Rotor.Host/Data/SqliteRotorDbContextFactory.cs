using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Rotor.Host.Data;

/// <summary>Lets the EF Core tools build the SQLite context without starting the host (used to add migrations).</summary>
public sealed class SqliteRotorDbContextFactory : IDesignTimeDbContextFactory<SqliteRotorDbContext>
{
    public SqliteRotorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteRotorDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

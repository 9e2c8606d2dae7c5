using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Rotor.Host.Data;

/// <summary>Lets the EF Core tools build the PostgreSQL context without a server (adding a migration does not connect).</summary>
public sealed class PostgreSqlRotorDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlRotorDbContext>
{
    public PostgreSqlRotorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlRotorDbContext>().UseNpgsql("Host=localhost;Database=rotor_design_time").Options);
}

using Microsoft.EntityFrameworkCore;

namespace Rotor.Host.Data;

/// <summary>The host's database on PostgreSQL; its migrations are in Data/Migrations/PostgreSql.</summary>
public sealed class PostgreSqlRotorDbContext(DbContextOptions<PostgreSqlRotorDbContext> options) : RotorDbContext(options);

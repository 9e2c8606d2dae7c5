using Microsoft.EntityFrameworkCore;

namespace Rotor.Host.Data;

/// <summary>The host's database on SQLite; its migrations are in Data/Migrations/Sqlite.</summary>
public sealed class SqliteRotorDbContext(DbContextOptions<SqliteRotorDbContext> options) : RotorDbContext(options);

using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Rotor.Host.Data;

/// <summary>
/// The host's database: ASP.NET Core Identity's tables plus Rotor's. One subclass per provider carries that
/// provider's migrations (<see cref="SqliteRotorDbContext"/>, <see cref="PostgreSqlRotorDbContext"/>), as EF Core
/// recommends for an app that ships migrations for several providers; the rest of the app asks for this type.
/// </summary>
public abstract class RotorDbContext(DbContextOptions options) : IdentityDbContext<IdentityUser>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseRotor<IdentityUser>();
    }
}

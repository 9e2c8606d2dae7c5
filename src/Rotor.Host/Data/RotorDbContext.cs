using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Rotor.Host.Data;

/// <summary>The host's database: ASP.NET Core Identity's tables plus Rotor's.</summary>
public sealed class RotorDbContext(DbContextOptions<RotorDbContext> options) : IdentityDbContext<IdentityUser>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseRotor<IdentityUser>();
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Rotor.Security;
using Rotor.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDbContextPool<AppDbContext>(o => o.UseRotorSqlite(builder.Configuration.GetConnectionString("App")!).AddRotorAccountChanges());
builder.Services.AddRotor<IdentityUser, AppDbContext>().AddRotorSqlite();

var app = builder.Build();
await using (var scope = app.Services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    await db.Database.EnsureCreatedAsync();   // a real app runs its migrations here
    foreach (var provider in scope.ServiceProvider.GetServices<IRotorDatabaseProvider>())
    {
        await provider.PrepareAsync(db, CancellationToken.None);
    }
}

app.UseCors();             // MapRotor's endpoints carry CORS metadata: without it they answer 500
app.UseAuthentication();
app.UseAuthorization();
app.MapRotor();
app.MapGet("/api/hello", (HttpContext context) => "hello " + context.User.GetUserId()).RequireAuthorization("Rotor");
await app.RunAsync();

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<IdentityUser>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseRotor<IdentityUser>();
    }
}

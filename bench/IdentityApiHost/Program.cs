using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

// ASP.NET Core Identity's API endpoints as the template sets them up (AddIdentityApiEndpoints + MapIdentityApi, bearer
// tokens), on PostgreSQL with a pooled context as Rotor.Host uses. Its /refresh checks the user's security stamp
// in the database and issues new tokens; it rotates nothing (an old refresh token stays valid until it expires).
// Usage: dotnet IdentityApiHost.dll --urls http://127.0.0.1:5632 with ConnectionStrings__Identity set.
var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Identity")
    ?? throw new InvalidOperationException("Set ConnectionStrings:Identity (an Npgsql connection string).");
builder.Services.AddDbContextPool<IdentityDbContext<IdentityUser>>(options => options.UseNpgsql(connectionString));
builder.Services.AddAuthorization();
builder.Services.AddIdentityApiEndpoints<IdentityUser>().AddEntityFrameworkStores<IdentityDbContext<IdentityUser>>();

var app = builder.Build();
using (var scope = app.Services.CreateScope())
{
    // No migrations for a throw-away benchmark database: the schema straight from the model.
    await scope.ServiceProvider.GetRequiredService<IdentityDbContext<IdentityUser>>().Database.EnsureCreatedAsync();
}

app.MapGet("/healthz", () => "ok");
app.MapIdentityApi<IdentityUser>();
await app.RunAsync();

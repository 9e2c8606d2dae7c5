using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rotor.Host.Data;
using Rotor.Host.Demo;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://localhost:5080");
}

var connectionString = builder.Configuration.GetConnectionString("Rotor") ?? DatabaseSetup.DefaultConnectionString;
builder.Services.AddDbContextPool<RotorDbContext>(options => options.UseRotorSqlite(connectionString));
builder.Services.AddRotor<IdentityUser, RotorDbContext>().AddRotorSqlite();

var app = builder.Build();
await DatabaseSetup.MigrateAsync(app.Services);

app.UseDemoApp(DemoAppFiles.Locate(app.Configuration));
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapRotor();
app.MapDemoApi();

await app.RunAsync();

/// <summary>The host's entry point; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;

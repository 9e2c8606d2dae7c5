using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rotor.Host.Data;
using Rotor.Host.Demo;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://localhost:5080");
}

builder.Services.AddRotorDatabase(builder.Configuration);
builder.Services.AddRotor<IdentityUser, RotorDbContext>();

var app = builder.Build();
await DatabaseSetup.MigrateAsync(app.Services);

// First, so everything after sees the client's address: X-Forwarded-* only from Rotor:ForwardedHeaders' proxies.
app.UseForwardedHeaders();
app.UseDemoApp(DemoAppFiles.Locate(app.Configuration));
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.MapRotor();
app.MapDemoApi();

await app.RunAsync();

/// <summary>The host's entry point; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;

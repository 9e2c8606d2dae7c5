using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rotor.Host;
using Rotor.Host.Data;
using Rotor.Host.Demo;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://localhost:5080");
}

builder.Services.AddRotorDatabase(builder.Configuration);
// Identity with its role store, so Rotor's admin policy can read the rotor-admin role (AddRotor would add Identity without roles).
builder.Services.AddIdentityCore<IdentityUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<RotorDbContext>();
builder.Services.AddRotor<IdentityUser, RotorDbContext>();
builder.Services.AddScoped<IAuthorizationHandler, DemoAdminHandler>();
builder.Services.AddHostTelemetry(builder.Configuration);
builder.Services.AddRotorOpenApi();   // /openapi/v1.json: Rotor's endpoints, their error codes and security schemes

var app = builder.Build();
await DatabaseSetup.MigrateAsync(app.Services);

// First, so everything after sees the client's address: X-Forwarded-* only from Rotor:ForwardedHeaders' proxies.
app.UseForwardedHeaders();
app.UseDemoApp(DemoAppFiles.Locate(app.Configuration));
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.MapRotor();
app.MapRotorAdmin();
app.MapDemoApi();
// The contract is public (the README lists it), so the document is served everywhere; the browsable reference
// only in Development.
app.MapOpenApi();
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference();   // /scalar/v1
}

await app.RunAsync();

/// <summary>The host's entry point; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;

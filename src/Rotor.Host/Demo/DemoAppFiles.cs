using Microsoft.Extensions.FileProviders;

namespace Rotor.Host.Demo;

/// <summary>Finds the built demo app (web/demo/dist) and serves it at <c>/</c>, with client-side routes falling back to index.html.</summary>
public static class DemoAppFiles
{
    public static string? Locate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["Host:DemoAppPath"];
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "web", "demo", "dist");
            if (File.Exists(Path.Combine(candidate, "index.html")))
            {
                return candidate;
            }
        }

        return null;
    }

    public static WebApplication UseDemoApp(this WebApplication app, string? path)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (path is null)
        {
            app.MapGet("/", () => TypedResults.Text("Rotor is running. The demo app is not built: run `npm ci && npm run build` in web/.", "text/plain"));
            return app;
        }

        var files = new PhysicalFileProvider(path);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        // Client-side routes only (no file extension, not an API path): API paths keep their own 404/405
        // answers and a missing asset is a 404, not index.html.
        app.MapFallbackToFile("{*path:nonfile:regex(^(?!auth/|users/|api/|\\.well-known/|healthz).*$)}", "index.html", new StaticFileOptions { FileProvider = files });
        return app;
    }
}

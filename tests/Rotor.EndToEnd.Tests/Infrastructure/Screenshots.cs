using Microsoft.Playwright;

namespace Rotor.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Full-page screenshots of the main pages, saved to artifacts/screenshots/ under the repository root (a test
/// artifact, not committed). With ROTOR_UPDATE_DOCS_IMAGES=1 the ones the README shows are also copied to
/// docs/images/.
/// </summary>
public static class Screenshots
{
    private static readonly HashSet<string> ForReadme = ["login", "dashboard", "sessions"];

    public static async Task SaveAsync(IPage page, string name)
    {
        var root = RepositoryRoot();
        var path = Path.Combine(root, "artifacts", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Let web fonts and the focus ring settle, so the picture is the page a person sees.
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        if (ForReadme.Contains(name) && Environment.GetEnvironmentVariable("ROTOR_UPDATE_DOCS_IMAGES") == "1")
        {
            var docs = Path.Combine(root, "docs", "images");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name + ".png"), overwrite: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rotor.slnx")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

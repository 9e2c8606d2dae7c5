using System.Net;
using Rotor.Tests.Infrastructure;

namespace Rotor.Tests.Storage;

/// <summary>The folder Rotor makes for the SQLite file is owner-only: the file holds password hashes and sessions.</summary>
public sealed class DatabaseFolderTests
{
    [SqliteOnlyFact("the folder of a SQLite file; PostgreSQL keeps its files itself")]
    public async Task A_database_folder_rotor_creates_is_owner_only()
    {
        using var app = new RotorApp();
        var folder = Path.Combine(app.Directory, "made-by-rotor");
        using var host = new RotorApp(new Dictionary<string, string?> { ["ConnectionStrings:Rotor"] = $"Data Source={Path.Combine(folder, "rotor.db")}" }, directory: app.Directory);
        using var client = host.Client();
        using (var health = await client.Http.GetAsync("/healthz/live"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }
    }
}

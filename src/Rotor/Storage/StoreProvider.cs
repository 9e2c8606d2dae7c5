using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rotor.Storage;

/// <summary>What the stores need to know about the database provider behind a context.</summary>
internal static class StoreProvider
{
    // DatabaseFacade.ProviderName reads the provider assembly's name (Assembly.GetName allocates and parses)
    // every time it is asked, and every store is created once per request: remember it per provider type.
    private static readonly ConcurrentDictionary<Type, bool> s_sqlite = new();

    /// <summary>SQLite allows one writer at a time, so its stores take <see cref="StoreWriteGate"/> around writes.</summary>
    public static bool SerialisesWrites(DbContext db)
    {
        var provider = db.GetService<IDatabaseProvider>();
        return s_sqlite.GetOrAdd(provider.GetType(), static (_, p) => p.Name.Contains("Sqlite", StringComparison.OrdinalIgnoreCase), provider);
    }
}

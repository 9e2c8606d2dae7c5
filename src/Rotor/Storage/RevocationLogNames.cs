using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rotor.Storage;

/// <summary>
/// The delimited names a provider's revocation trigger needs (<c>rotor_sessions</c> and <c>rotor_revocations</c> and
/// their columns), read from the application's EF Core model so a naming convention or schema the app chose is honoured.
/// </summary>
internal sealed class RevocationLogNames
{
    private RevocationLogNames(DbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var sessions = db.Model.FindEntityType(typeof(RotorSession))
            ?? throw new InvalidOperationException($"{db.GetType().Name} has no Rotor tables; call modelBuilder.UseRotor<TUser>() in its OnModelCreating.");
        var log = db.Model.FindEntityType(typeof(RotorRevocation))!;
        var sessionTable = StoreObjectIdentifier.Table(sessions.GetTableName()!, sessions.GetSchema());
        var logTable = StoreObjectIdentifier.Table(log.GetTableName()!, log.GetSchema());
        Schema = sessionTable.Schema;
        Sessions = sql.DelimitIdentifier(sessionTable.Name, sessionTable.Schema);
        SessionId = sql.DelimitIdentifier(sessions.FindProperty(nameof(RotorSession.Id))!.GetColumnName(sessionTable)!);
        SessionRevokedAt = sql.DelimitIdentifier(sessions.FindProperty(nameof(RotorSession.RevokedAt))!.GetColumnName(sessionTable)!);
        Log = sql.DelimitIdentifier(logTable.Name, logTable.Schema);
        LogSequence = sql.DelimitIdentifier(log.FindProperty(nameof(RotorRevocation.Sequence))!.GetColumnName(logTable)!);
        LogSessionId = sql.DelimitIdentifier(log.FindProperty(nameof(RotorRevocation.SessionId))!.GetColumnName(logTable)!);
        LogRevokedAt = sql.DelimitIdentifier(log.FindProperty(nameof(RotorRevocation.RevokedAt))!.GetColumnName(logTable)!);
        Delimit = name => sql.DelimitIdentifier(name, sessionTable.Schema);
    }

    /// <summary>The schema of <c>rotor_sessions</c>, or null for the default one.</summary>
    public string? Schema { get; }

    public string Sessions { get; }

    public string SessionId { get; }

    public string SessionRevokedAt { get; }

    public string Log { get; }

    public string LogSequence { get; }

    public string LogSessionId { get; }

    public string LogRevokedAt { get; }

    /// <summary>Delimits the name of another object (a trigger function) in the sessions table's schema.</summary>
    public Func<string, string> Delimit { get; }

    public static RevocationLogNames Create(DbContext db) => new(db);
}

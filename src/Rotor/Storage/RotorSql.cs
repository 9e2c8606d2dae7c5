using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rotor.Storage;

/// <summary>
/// The hand-written SQL of the refresh hot path, built once from the application's EF Core model so table
/// and column names, quoting and parameter conversions are the provider's own. It needs
/// <c>UPDATE … RETURNING</c> with a scalar subquery, which SQLite (3.35+) and PostgreSQL both have.
/// </summary>
internal sealed class RotorSql
{
    private readonly RelationalTypeMapping _idMapping;
    private readonly RelationalTypeMapping _generationMapping;
    private readonly RelationalTypeMapping _timeMapping;

    private RotorSql(DbContext db, Type userType)
    {
        var model = db.Model;
        var sql = db.GetService<ISqlGenerationHelper>();
        var sessions = model.FindEntityType(typeof(RotorSession))
            ?? throw new InvalidOperationException($"{db.GetType().Name} has no Rotor tables; call modelBuilder.UseRotor<TUser>() in its OnModelCreating.");
        var users = model.FindEntityType(userType)
            ?? throw new InvalidOperationException($"{db.GetType().Name} does not map the user type {userType.Name}.");

        var sessionTable = StoreObjectIdentifier.Table(sessions.GetTableName()!, sessions.GetSchema());
        var userTable = StoreObjectIdentifier.Table(users.GetTableName()!, users.GetSchema());
        string S(string property) => sql.DelimitIdentifier(sessions.FindProperty(property)!.GetColumnName(sessionTable)!);
        string U(string property) => sql.DelimitIdentifier(users.FindProperty(property)!.GetColumnName(userTable)!);
        var st = sql.DelimitIdentifier(sessionTable.Name, sessionTable.Schema);
        var ut = sql.DelimitIdentifier(userTable.Name, userTable.Schema);

        _idMapping = sessions.FindProperty(nameof(RotorSession.Id))!.GetRelationalTypeMapping();
        _generationMapping = sessions.FindProperty(nameof(RotorSession.Generation))!.GetRelationalTypeMapping();
        _timeMapping = sessions.FindProperty(nameof(RotorSession.ExpiresAt))!.GetRelationalTypeMapping();

        var gen = S(nameof(RotorSession.Generation));
        var expires = S(nameof(RotorSession.ExpiresAt));
        var idle = S(nameof(RotorSession.IdleExpiresAt));
        var userId = S(nameof(RotorSession.UserId));
        Rotate =
            $"UPDATE {st} SET {gen} = {gen} + 1, {S(nameof(RotorSession.RotatedAt))} = @now, {S(nameof(RotorSession.LastUsedAt))} = @now, " +
            $"{idle} = CASE WHEN @idle < {expires} THEN @idle ELSE {expires} END " +
            $"WHERE {S(nameof(RotorSession.Id))} = @id AND {gen} = @gen AND {S(nameof(RotorSession.RevokedAt))} IS NULL AND {expires} > @now AND {idle} > @now " +
            $"RETURNING {userId}, {gen}, {expires}, {idle}, " +
            $"(SELECT u.{U(nameof(IdentityUser.UserName))} FROM {ut} u WHERE u.{U(nameof(IdentityUser.Id))} = {st}.{userId}), " +
            $"(SELECT u.{U(nameof(IdentityUser.Email))} FROM {ut} u WHERE u.{U(nameof(IdentityUser.Id))} = {st}.{userId})";
    }

    /// <summary>The compare-and-swap rotation statement.</summary>
    public string Rotate { get; }

    public static RotorSql Create(DbContext db, Type userType) => new(db, userType);

    public void BindRotate(DbCommand command, Guid sessionId, long generation, DateTimeOffset now, DateTimeOffset idleExpiresAt)
    {
        command.Parameters.Add(_idMapping.CreateParameter(command, "@id", sessionId, nullable: false));
        command.Parameters.Add(_generationMapping.CreateParameter(command, "@gen", generation, nullable: false));
        command.Parameters.Add(_timeMapping.CreateParameter(command, "@now", now, nullable: false));
        command.Parameters.Add(_timeMapping.CreateParameter(command, "@idle", idleExpiresAt, nullable: false));
    }
}

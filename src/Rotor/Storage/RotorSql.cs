using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rotor.Storage;

/// <summary>
/// The refresh rule, in SQL, built once from the application's EF Core model so table and column names,
/// quoting and parameter conversions are the provider's own. <see cref="Rotate"/> is the compare-and-swap;
/// when it does not apply, <see cref="Classify"/> says why with the same conditions, so the rule (grace,
/// reuse, revocation, expiry, the account's state, the transport) is written here and nowhere else.
/// It needs <c>UPDATE … RETURNING</c> with scalar subqueries, which SQLite (3.35+) and PostgreSQL both have.
/// </summary>
internal sealed class RotorSql
{
    private readonly RelationalTypeMapping _idMapping;
    private readonly RelationalTypeMapping _generationMapping;
    private readonly RelationalTypeMapping _timeMapping;
    private readonly RelationalTypeMapping _modeMapping;
    private readonly RelationalTypeMapping _reasonMapping;
    private readonly RelationalTypeMapping _userIdMapping;
    private readonly RelationalTypeMapping _lockoutEndMapping;
    private readonly RelationalTypeMapping _lockoutEnabledMapping;
    private readonly RelationalTypeMapping _jktMapping;
    private readonly (string Head, string Tail) _revokeInvalidatedOf;
    private readonly Func<RotationValues, string, string, string, string> _rotate;

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
        _modeMapping = sessions.FindProperty(nameof(RotorSession.Mode))!.GetRelationalTypeMapping();
        _reasonMapping = sessions.FindProperty(nameof(RotorSession.RevocationReason))!.GetRelationalTypeMapping();
        _userIdMapping = sessions.FindProperty(nameof(RotorSession.UserId))!.GetRelationalTypeMapping();
        _lockoutEndMapping = users.FindProperty(nameof(IdentityUser.LockoutEnd))!.GetRelationalTypeMapping();
        _lockoutEnabledMapping = users.FindProperty(nameof(IdentityUser.LockoutEnabled))!.GetRelationalTypeMapping();
        _jktMapping = sessions.FindProperty(nameof(RotorSession.DpopJkt))!.GetRelationalTypeMapping();

        var id = S(nameof(RotorSession.Id));
        var gen = S(nameof(RotorSession.Generation));
        var expires = S(nameof(RotorSession.ExpiresAt));
        var idle = S(nameof(RotorSession.IdleExpiresAt));
        var userId = S(nameof(RotorSession.UserId));
        var revoked = S(nameof(RotorSession.RevokedAt));
        var stamp = S(nameof(RotorSession.SecurityStamp));
        var jkt = S(nameof(RotorSession.DpopJkt));
        var userKey = U(nameof(IdentityUser.Id));
        SessionTable = st;
        SessionIdColumn = id;

        // The account may continue: it exists, its security stamp is the one the session began with (sessions
        // from before stamps were recorded have none), and the app has not locked it.
        string AccountOk(RotationValues v) =>
            $"EXISTS (SELECT 1 FROM {ut} u WHERE u.{userKey} = {st}.{userId} " +
            $"AND ({st}.{stamp} IS NULL OR u.{U(nameof(IdentityUser.SecurityStamp))} = {st}.{stamp}) " +
            $"AND (u.{U(nameof(IdentityUser.LockoutEnabled))} = @lockoutOff OR u.{U(nameof(IdentityUser.LockoutEnd))} IS NULL OR u.{U(nameof(IdentityUser.LockoutEnd))} <= {v.LockoutNow}))";
        string Live(RotationValues v) => $"{revoked} IS NULL AND {expires} > {v.Now} AND {idle} > {v.Now}";
        var returning =
            $"{userId}, {gen}, {idle}, " +
            $"(SELECT u.{U(nameof(IdentityUser.UserName))} FROM {ut} u WHERE u.{userKey} = {st}.{userId}), " +
            $"(SELECT u.{U(nameof(IdentityUser.Email))} FROM {ut} u WHERE u.{userKey} = {st}.{userId}), " +
            $"{S(nameof(RotorSession.AuthenticatedAt))}, {jkt}";

        // One compare-and-swap, for a single request (parameters) or for each row of a batch (a source's columns):
        // the same text either way, so a batch cannot decide differently from a lone refresh. A session bound to a
        // DPoP key rotates only for a proof from that key.
        _rotate = (v, from, also, extra) =>
            $"UPDATE {st} SET {gen} = {gen} + 1, {S(nameof(RotorSession.RotatedAt))} = {v.Now}, {S(nameof(RotorSession.LastUsedAt))} = {v.Now}, " +
            $"{idle} = CASE WHEN {v.Idle} < {expires} THEN {v.Idle} ELSE {expires} END {from}" +
            $"WHERE {id} = {v.Id} AND {gen} = {v.Generation} AND {S(nameof(RotorSession.Mode))} = {v.Mode} " +
            $"AND ({jkt} IS NULL OR {jkt} = {v.Jkt}) AND {Live(v)} AND {AccountOk(v)}{also} " +
            $"RETURNING {extra}{returning}";
        Rotate = _rotate(RotationValues.Parameters, "", "", "");

        // The order matters: a revoked session says so whatever else is true; a token sent by the other transport
        // is refused before it can count as reuse (so the cookie's CSRF rules cannot be side-stepped), and so is a
        // bound session's token without a proof from its key (so a thief without the key cannot revoke the owner's session).
        var p = RotationValues.Parameters;
        Classify =
            $"SELECT CASE " +
            $"WHEN {revoked} IS NOT NULL THEN {(int)RotationKind.Revoked} " +
            $"WHEN {S(nameof(RotorSession.Mode))} <> @mode THEN {(int)RotationKind.Invalid} " +
            $"WHEN {jkt} IS NOT NULL AND (@jkt IS NULL OR {jkt} <> @jkt) THEN {(int)RotationKind.DpopMismatch} " +
            $"WHEN {expires} <= @now OR {idle} <= @now THEN {(int)RotationKind.Expired} " +
            $"WHEN NOT {AccountOk(p)} THEN {(int)RotationKind.AccountUnavailable} " +
            $"WHEN {gen} = @gen + 1 AND {S(nameof(RotorSession.RotatedAt))} >= @graceSince THEN {(int)RotationKind.Grace} " +
            $"WHEN {gen} > @gen THEN {(int)RotationKind.Reused} " +
            $"ELSE {(int)RotationKind.Invalid} END, {returning}, {S(nameof(RotorSession.RevocationReason))} " +
            $"FROM {st} WHERE {id} = @id";

        var revokeInvalidated =
            $"UPDATE {st} SET {revoked} = @now, {S(nameof(RotorSession.RevocationReason))} = @reason " +
            $"WHERE {Live(p)} AND NOT {AccountOk(p)}";
        RevokeInvalidated = $"{revokeInvalidated} RETURNING {id}, {userId}";
        _revokeInvalidatedOf = ($"{revokeInvalidated} AND {userId} IN (", $") RETURNING {id}, {userId}");
        // Not max(): PostgreSQL has no max(uuid).
        SweepPageEnd = $"SELECT p.{id} FROM (SELECT {id} FROM {st} WHERE {id} > @after ORDER BY {id} LIMIT {SweepBatch}) p ORDER BY p.{id} DESC LIMIT 1";
        RevokeInvalidatedPage = $"{revokeInvalidated} AND {id} > @after AND {id} <= @upto RETURNING {id}, {userId}";

        var changes = model.FindEntityType(typeof(RotorAccountChange))!;
        var changeTable = StoreObjectIdentifier.Table(changes.GetTableName()!, changes.GetSchema());
        string C(string property) => sql.DelimitIdentifier(changes.FindProperty(property)!.GetColumnName(changeTable)!);
        var ct = sql.DelimitIdentifier(changeTable.Name, changeTable.Schema);
        var changeId = C(nameof(RotorAccountChange.Id));
        TakeAccountChanges =
            $"DELETE FROM {ct} WHERE {changeId} IN (SELECT {changeId} FROM {ct} ORDER BY {changeId} LIMIT {AccountChangeBatch}) " +
            $"RETURNING {C(nameof(RotorAccountChange.UserId))}";

        Restamp =
            $"UPDATE {st} SET {stamp} = (SELECT u.{U(nameof(IdentityUser.SecurityStamp))} FROM {ut} u WHERE u.{userKey} = {st}.{userId}) " +
            $"WHERE {userId} = @userId AND {revoked} IS NULL AND (@all = 1 OR {id} = @id)";
    }

    /// <summary>The compare-and-swap rotation statement; returns a row only when it rotated.</summary>
    public string Rotate { get; }

    /// <summary>The sessions table, quoted for the provider (for a provider's batch statement around <see cref="RotateEach"/>).</summary>
    public string SessionTable { get; }

    /// <summary>The sessions table's key column, quoted.</summary>
    public string SessionIdColumn { get; }

    /// <summary>
    /// <see cref="Rotate"/> applied to every row of <paramref name="source"/> (<c>UPDATE … FROM</c>, which SQLite and
    /// PostgreSQL both have): the row's columns named in <paramref name="values"/> take the place of the parameters,
    /// <paramref name="condition"/> (starting with <c>AND</c>, or empty) narrows the sessions further, and
    /// <paramref name="returnFirst"/> (ending with a comma) is returned before the same columns as <see cref="Rotate"/>.
    /// Only <c>@lockoutOff</c> stays a parameter (<see cref="BindEachConstants"/>). A session named by several rows is
    /// rotated at most once: the others find the generation moved on and are classified like any late duplicate.
    /// </summary>
    public string RotateEach(RotationValues values, string source, string condition, string returnFirst) =>
        _rotate(values, $"FROM {source} ", condition, returnFirst);

    /// <summary>Why a rotation did not apply: the <see cref="RotationKind"/> first, then the same columns as <see cref="Rotate"/>, then the revocation reason.</summary>
    public string Classify { get; }

    /// <summary>Revokes every live session whose account may no longer continue; returns their ids and users.</summary>
    public string RevokeInvalidated { get; }

    /// <summary>How many sessions one page of the sweep checks (one page per revocation poll).</summary>
    public const int SweepBatch = 10_000;

    /// <summary>The last session id of the sweep's next page after <c>@after</c>; null when there is none.</summary>
    public string SweepPageEnd { get; }

    /// <summary><see cref="RevokeInvalidated"/> restricted to the sessions with ids in (<c>@after</c>, <c>@upto</c>].</summary>
    public string RevokeInvalidatedPage { get; }

    /// <summary>How many account changes <see cref="TakeAccountChanges"/> takes at once.</summary>
    public const int AccountChangeBatch = 500;

    /// <summary>Deletes the oldest recorded account changes (up to <see cref="AccountChangeBatch"/>) and returns their user ids.</summary>
    public string TakeAccountChanges { get; }

    /// <summary><see cref="RevokeInvalidated"/> restricted to the sessions of <paramref name="userCount"/> users (<c>@u0</c>, <c>@u1</c>, …).</summary>
    public string RevokeInvalidatedOf(int userCount) =>
        _revokeInvalidatedOf.Head + string.Join(", ", Enumerable.Range(0, userCount).Select(UserParameter)) + _revokeInvalidatedOf.Tail;

    /// <summary>Records the user's current security stamp on one live session (<c>@all</c> = 0) or all of them.</summary>
    public string Restamp { get; }

    public static RotorSql Create(DbContext db, Type userType) => new(db, userType);

    public void BindSweepPage(DbCommand command, Guid after, Guid upto)
    {
        command.Parameters.Add(_idMapping.CreateParameter(command, "@after", after, nullable: false));
        command.Parameters.Add(_idMapping.CreateParameter(command, "@upto", upto, nullable: false));
    }

    public void BindRevokeInvalidatedOf(DbCommand command, DateTimeOffset now, string reason, IReadOnlyList<string> userIds)
    {
        BindRevokeInvalidated(command, now, reason);
        for (var i = 0; i < userIds.Count; i++)
        {
            command.Parameters.Add(_userIdMapping.CreateParameter(command, UserParameter(i), userIds[i], nullable: false));
        }
    }

    public void BindRotate(DbCommand command, in RotationRequest request)
    {
        BindCommon(command, request.SessionId, request.Generation, request.Mode, request.Now);
        command.Parameters.Add(_jktMapping.CreateParameter(command, "@jkt", request.DpopJkt, nullable: true));
        command.Parameters.Add(_timeMapping.CreateParameter(command, "@idle", request.IdleExpiresAt, nullable: false));
    }

    public void BindClassify(DbCommand command, in RotationRequest request)
    {
        BindCommon(command, request.SessionId, request.Generation, request.Mode, request.Now);
        command.Parameters.Add(_jktMapping.CreateParameter(command, "@jkt", request.DpopJkt, nullable: true));
        command.Parameters.Add(_timeMapping.CreateParameter(command, "@graceSince", request.GraceSince, nullable: false));
    }

    public void BindRevokeInvalidated(DbCommand command, DateTimeOffset now, string reason)
    {
        BindAccountCheck(command, now);
        command.Parameters.Add(_reasonMapping.CreateParameter(command, "@reason", reason, nullable: true));
    }

    public void BindRestamp(DbCommand command, string userId, Guid? sessionId)
    {
        command.Parameters.Add(_userIdMapping.CreateParameter(command, "@userId", userId, nullable: false));
        command.Parameters.Add(_idMapping.CreateParameter(command, "@id", sessionId ?? Guid.Empty, nullable: false));
        command.Parameters.Add(_generationMapping.CreateParameter(command, "@all", sessionId is null ? 1L : 0L, nullable: false));
    }

    private static string UserParameter(int index) => "@u" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Binds what <see cref="RotateEach"/> keeps as parameters.</summary>
    public void BindEachConstants(DbCommand command) =>
        command.Parameters.Add(_lockoutEnabledMapping.CreateParameter(command, "@lockoutOff", false, nullable: false));

    /// <summary>A time as the sessions table stores it (the model's own conversion), for a provider's batch arrays.</summary>
    public object StoreTime(DateTimeOffset value) => _timeMapping.Converter?.ConvertToProvider(value) ?? value;

    /// <summary>The instant compared with Identity's lockout end, as the account check binds it.</summary>
    public static DateTimeOffset LockoutNow(DateTimeOffset now) => now.ToUniversalTime();

    private void BindCommon(DbCommand command, Guid sessionId, long generation, string mode, DateTimeOffset now)
    {
        command.Parameters.Add(_idMapping.CreateParameter(command, "@id", sessionId, nullable: false));
        command.Parameters.Add(_generationMapping.CreateParameter(command, "@gen", generation, nullable: false));
        command.Parameters.Add(_modeMapping.CreateParameter(command, "@mode", mode, nullable: false));
        BindAccountCheck(command, now);
    }

    private void BindAccountCheck(DbCommand command, DateTimeOffset now)
    {
        command.Parameters.Add(_timeMapping.CreateParameter(command, "@now", now, nullable: false));
        // Identity's own column types: on SQLite LockoutEnd is text that sorts like the instant for UTC values,
        // which is how UserManager writes it; on PostgreSQL it is timestamptz, which Npgsql writes only from UTC.
        command.Parameters.Add(_lockoutEndMapping.CreateParameter(command, "@lockoutNow", (DateTimeOffset?)LockoutNow(now), nullable: true));
        command.Parameters.Add(_lockoutEnabledMapping.CreateParameter(command, "@lockoutOff", false, nullable: false));
    }
}

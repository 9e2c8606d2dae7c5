using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Rotor.Storage;

/// <summary>The EF Core implementation of <see cref="ISignInFailureStore"/>, on the app's context.</summary>
internal sealed class EfSignInFailureStore<TContext> : ISignInFailureStore
    where TContext : DbContext
{
    /// <summary>One recorded failure in this many also deletes expired rows, so the table stays small without a job of its own.</summary>
    private const int SweepEvery = 256;

    private static SignInFailureSql? s_sql;
    private static int s_recorded;

    private readonly TContext _db;
    private readonly StoreWriteGate _gate;

    public EfSignInFailureStore(TContext db, StoreWriteGate gate)
    {
        _db = db;
        _gate = gate;
    }

    private DbSet<RotorSignInFailure> Failures => _db.Set<RotorSignInFailure>();

    public async Task<IReadOnlyList<RotorSignInFailure>> ReadAsync(string account, string source, CancellationToken cancellationToken) =>
        await Failures.AsNoTracking()
            .Where(f => f.Account == account && (f.Source == source || f.Source == RotorSignInFailure.Everywhere))
            .ToListAsync(cancellationToken);

    public async Task<SignInFailureCounts> RecordAsync(
        string account, string source, SignInFailurePolicy policy, DateTimeOffset now,
        Func<SignInFailureCounts, IEnumerable<RotorSecurityEvent>> events, CancellationToken cancellationToken)
    {
        var sql = s_sql ??= SignInFailureSql.Create(_db);
        using var gate = await _gate.EnterAsync(cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
        SignInFailureCounts counts;
        await using (var command = _db.Database.GetDbConnection().CreateCommand())
        {
            command.CommandText = sql.Record;
            command.Transaction = transaction.GetDbTransaction();
            SignInFailureSql.BindRecord(command, account, source, policy, now);
            counts = await SignInFailureSql.ReadRecordAsync(command, cancellationToken);
        }

        _db.Set<RotorSecurityEvent>().AddRange(events(counts));
        await _db.SaveChangesAsync(cancellationToken);
        _db.ChangeTracker.Clear();
        if (Interlocked.Increment(ref s_recorded) % SweepEvery == 0)
        {
            await Failures.Where(f => f.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return counts;
    }

    public async Task ForgetSourceAsync(string account, string source, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        await Failures.Where(f => f.Account == account && f.Source == source).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task ForgetAccountAsync(string account, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        await Failures.Where(f => f.Account == account).ExecuteDeleteAsync(cancellationToken);
    }
}

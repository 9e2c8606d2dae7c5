using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rotor.Storage;

namespace Rotor.RateLimiting;

/// <summary>
/// <see cref="IRateLimitCounter"/> in the database (<see cref="RotorRateLimitStore.Database"/>): one row per
/// (policy, key) in <c>rotor_rate_limits</c>, counted by one upsert, so every instance on the database shares
/// the count. Ended windows are deleted by the maintenance service's purge. A key refused once is refused from
/// memory until its window ends (<see cref="RateLimitRefusals"/>).
/// </summary>
internal sealed class DatabaseRateLimitCounter<TContext> : IRateLimitCounter
    where TContext : DbContext
{
    private static RateLimitSql? s_sql;

    private readonly TContext _db;
    private readonly StoreWriteGate _gate;
    private readonly TimeProvider _time;
    private readonly RateLimitRefusals _refusals;

    public DatabaseRateLimitCounter(TContext db, StoreWriteGate gate, TimeProvider time, RateLimitRefusals refusals)
    {
        _db = db;
        _gate = gate;
        _time = time;
        _refusals = refusals;
    }

    public async ValueTask<TimeSpan?> HitAsync(string policy, string key, int permits, TimeSpan window, CancellationToken cancellationToken)
    {
        var sql = s_sql ??= RateLimitSql.Create(_db);
        var now = _time.GetUtcNow();
        var hashed = Hash(key);
        if (_refusals.Refused(policy, hashed, now) is { } refused)
        {
            return refused;
        }

        (int Hits, DateTimeOffset WindowEnd) counted;
        using (await _gate.EnterAsync(cancellationToken))
        {
            await _db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await using var command = _db.Database.GetDbConnection().CreateCommand();
                command.CommandText = sql.Hit;
                command.Transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
                RateLimitSql.BindHit(command, policy, hashed, now, window);
                counted = await RateLimitSql.ReadHitAsync(command, cancellationToken);
            }
            finally
            {
                await _db.Database.CloseConnectionAsync();
            }
        }

        if (counted.Hits <= permits)
        {
            return null;
        }

        _refusals.Add(policy, hashed, counted.WindowEnd, now);
        return counted.WindowEnd - now;
    }

    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        return await _db.Set<RotorRateLimitCount>().Where(c => c.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }

    // Fixed length whatever the key (an address, an account id and source, an email address), and no address at rest.
    private static string Hash(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Base64Url.EncodeToString(hash);
    }
}

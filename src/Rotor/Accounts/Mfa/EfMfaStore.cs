using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rotor.Storage;

namespace Rotor.Accounts.Mfa;

/// <summary>The EF Core implementation of <see cref="IMfaStore"/>, on the app's context.</summary>
internal sealed class EfMfaStore<TContext> : IMfaStore
    where TContext : DbContext
{
    private readonly TContext _db;
    private readonly StoreWriteGate _gate;

    public EfMfaStore(TContext db, StoreWriteGate gate)
    {
        _db = db;
        _gate = gate;
    }

    private DbSet<RotorAccountToken> Tokens => _db.Set<RotorAccountToken>();

    public async Task AddChallengeAsync(RotorAccountToken challenge, CancellationToken cancellationToken)
    {
        var now = challenge.CreatedAt;
        using var gate = await _gate.EnterAsync(cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);

        // An ended challenge answers "invalid" with or without its row, so each new one clears the user's old ones.
        await Tokens.Where(t => t.UserId == challenge.UserId && t.ExpiresAt <= now
                && (t.Purpose.StartsWith(MfaChallenges.PurposePrefix) || t.Purpose == MfaChallenges.UsedCodePurpose))
            .ExecuteDeleteAsync(cancellationToken);
        Tokens.Add(challenge);
        try
        {
            await _db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            // Only this row leaves the context: the user entity Identity tracks in it must stay, or its next update conflicts.
            _db.Entry(challenge).State = EntityState.Detached;
        }
    }

    public Task<RotorAccountToken?> FindChallengeAsync(Guid id, CancellationToken cancellationToken) =>
        Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.Purpose.StartsWith(MfaChallenges.PurposePrefix), cancellationToken);

    public async Task<bool> TryCountAttemptAsync(Guid id, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        var counted = await Tokens.Where(t => t.Id == id && t.ConsumedAt == null && t.ExpiresAt > now && t.Attempts < maxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Attempts, t => t.Attempts + 1), cancellationToken);
        return counted == 1;
    }

    public async Task<bool> TryConsumeAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var gate = await _gate.EnterAsync(cancellationToken);
        var consumed = await Tokens.Where(t => t.Id == id && t.ConsumedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);
        return consumed == 1;
    }

    public async Task<bool> TryMarkCodeUsedAsync(string userId, string code, DateTimeOffset now, TimeSpan memory, CancellationToken cancellationToken)
    {
        var id = UsedCodeId(userId, code);
        using var gate = await _gate.EnterAsync(cancellationToken);
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);

        // The same digits come round again eventually; only a use within the memory is a replay.
        await Tokens.Where(t => t.Id == id && t.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        if (await Tokens.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return false;
        }

        var salt = RandomNumberGenerator.GetBytes(32);
        var used = new RotorAccountToken
        {
            Id = id,
            UserId = userId,
            Purpose = MfaChallenges.UsedCodePurpose,
            Salt = salt,
            Hash = HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(code)),
            CreatedAt = now,
            ExpiresAt = now + memory,
            ConsumedAt = now,
        };
        Tokens.Add(used);
        try
        {
            await _db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            _db.Entry(used).State = EntityState.Detached;

            // Another instance recorded the same code at the same moment: its row decided, and this use is the replay.
            if (await Tokens.AnyAsync(t => t.Id == id, cancellationToken))
            {
                return false;
            }

            throw;
        }
        finally
        {
            _db.Entry(used).State = EntityState.Detached;
        }
    }

    /// <summary>
    /// The row key of a used code: a hash of the user and the digits, so the table's key refuses a second record. It
    /// hides nothing worth having: the code has been used, and the record outlives its window by minutes only.
    /// </summary>
    private static Guid UsedCodeId(string userId, string code)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("rotor-totp\n" + userId + "\n" + code), hash);
        return new Guid(hash[..16]);
    }
}

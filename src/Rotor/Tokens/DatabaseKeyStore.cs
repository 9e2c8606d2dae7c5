using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rotor.Storage;

namespace Rotor.Tokens;

/// <summary>
/// Keys in the <c>rotor_keys</c> table, shared by every instance, encrypted under <see cref="RotorKeyOptions.EncryptionKey"/> (or a certificate)
/// which comes from configuration and never reaches the database: a copy of the database alone holds no usable key.
/// </summary>
internal sealed class DatabaseKeyStore<TContext>(IServiceScopeFactory scopes, IOptions<RotorOptions> options) : IRotorKeyStore
    where TContext : DbContext
{
    private readonly KeyEncryption _encryption = KeyEncryption.Create(options.Value.Keys);

    public async Task<IReadOnlyList<StoredKey>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var rows = await db.Set<RotorKeyRecord>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new StoredKey(r.Kind, r.Generation, r.CreatedAt, r.ActivatesAt, _encryption.Decrypt(r.Kind, r.Generation, r.Material))).ToList();
    }

    public async Task<bool> TryAddAsync(StoredKey key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        db.Set<RotorKeyRecord>().Add(new RotorKeyRecord
        {
            Kind = key.Kind,
            Generation = key.Generation,
            CreatedAt = key.CreatedAt,
            ActivatesAt = key.ActivatesAt,
            Material = _encryption.Encrypt(key.Kind, key.Generation, key.Material),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            // The primary key (kind, generation) refused a second key: another instance rotated first. Anything else rethrows.
            if (await ExistsAsync(key, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            throw;
        }
    }

    public async Task RemoveAsync(string kind, int generation, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Set<RotorKeyRecord>().Where(r => r.Kind == kind && r.Generation == generation).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ExistsAsync(StoredKey key, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.Set<RotorKeyRecord>().AnyAsync(r => r.Kind == key.Kind && r.Generation == key.Generation, cancellationToken).ConfigureAwait(false);
    }
}

using Microsoft.Extensions.Logging;

namespace Rotor.Client.Internal;

/// <summary>
/// The session's side of its <see cref="IRotorTokenStore"/>: one read at start, then every change written back one at a
/// time. A store that fails never breaks the session: a failed read means "not signed in", a failed write is logged
/// and the session goes on in memory.
/// </summary>
#pragma warning disable CA1001 // The lock is never disposed: a write may still be finishing after the session is disposed.
internal sealed class SessionPersistence(IRotorTokenStore store, ILogger logger)
#pragma warning restore CA1001
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>Reads the stored tokens; <c>null</c> when there are none or they cannot be read.</summary>
    public async Task<RotorTokens?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var tokens = await store.LoadAsync(cancellationToken);
            // Reading the key now (tokens.Signer) turns a damaged key into "not signed in" instead of failed refreshes
            // later; a bound session without its key cannot refresh at all.
            if (tokens is not null && (tokens.DpopKey is not null || tokens.TokenType.Equals("DPoP", StringComparison.OrdinalIgnoreCase)) && tokens.Signer is null)
            {
                throw new System.Security.Cryptography.CryptographicException("The stored session is DPoP-bound but has no DPoP key.");
            }

            return tokens;
        }
#pragma warning disable CA1031 // An unreadable store means "not signed in", not a broken app.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.StoreFailed(logger, ex, "load");
            return null;
        }
    }

    /// <summary>
    /// Writes the latest tokens to the store. Writes are serialised, and <paramref name="latest"/> is read once the
    /// write's turn has come, so a slow write never puts older tokens over newer ones.
    /// </summary>
    public async Task WriteLatestAsync(Func<RotorTokens?> latest)
    {
        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            var tokens = latest();
            if (tokens is null)
            {
                await store.ClearAsync(CancellationToken.None);
            }
            else
            {
                await store.SaveAsync(tokens, CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // The session goes on in memory; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.StoreFailed(logger, ex, "save");
        }
        finally
        {
            _lock.Release();
        }
    }
}

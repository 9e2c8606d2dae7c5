using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Rotor.Tokens;

/// <summary>
/// The server's keys, loaded from an <see cref="IRotorKeyStore"/> (never the database in the clear): ES256 signing keys,
/// refresh-token HMAC keys, and the key mailed codes and reset tokens are hashed under. Signing and refresh keys rotate:
/// <see cref="MaintainAsync"/> adds the next generation <see cref="RotorKeyOptions.AnnouncePeriod"/> before it is used,
/// and removes a key once nothing it produced can still be valid. Which key is used is decided by time alone, so every
/// instance that has loaded the same keys agrees without talking to the others.
/// </summary>
internal sealed class RotorKeyRing : IDisposable
{
    private readonly IRotorKeyStore _store;
    private readonly RotorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RotorKeyRing> _logger;
    private readonly SemaphoreSlim _maintaining = new(1, 1);
    private readonly Dictionary<int, SigningKey> _signingCache = [];
    private volatile KeySet _current = null!;

    public RotorKeyRing(IRotorKeyStore store, IOptions<RotorOptions> options, TimeProvider time, ILogger<RotorKeyRing> logger)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        // Start-up only (there is no synchronization context): keys must exist before the first token.
        MaintainAsync(CancellationToken.None).GetAwaiter().GetResult();
        AccountSecretKey = _current.AccountSecretKey;
    }

    /// <summary>The JSON Web Key Set publishing every signing key that is announced, active or still validating.</summary>
    public string Jwks => _current.Jwks;

    /// <summary>The key mailed one-time secrets are hashed under (<see cref="Accounts.AccountSecrets"/> derives its keys from it).</summary>
    public byte[] AccountSecretKey { get; }

    /// <summary>The signing keys currently published, oldest first.</summary>
    internal IReadOnlyList<SigningKey> SigningKeys => _current.Signing;

    /// <summary>The key that signs at <paramref name="now"/>: the newest one whose activation has come.</summary>
    public SigningKey ActiveSigningKey(DateTimeOffset now)
    {
        var keys = _current.Signing;
        for (var i = keys.Length - 1; i > 0; i--)
        {
            if (keys[i].ActivatesAt <= now)
            {
                return keys[i];
            }
        }

        return keys[0];
    }

    /// <summary>The public key named <paramref name="kid"/> while it is published; empty otherwise.</summary>
    public SecurityKey[] ValidationKeys(string? kid, DateTimeOffset now)
    {
        var set = _current;
        for (var i = 0; i < set.Signing.Length; i++)
        {
            if (string.Equals(set.Signing[i].KeyId, kid, StringComparison.Ordinal))
            {
                return now < set.SigningAcceptUntil[i] ? set.Signing[i].ValidationKeys : [];
            }
        }

        return [];
    }

    /// <summary>The refresh-token key that issues at <paramref name="now"/>.</summary>
    public RefreshKey ActiveRefreshKey(DateTimeOffset now)
    {
        var keys = _current.Refresh;
        for (var i = keys.Length - 1; i > 0; i--)
        {
            if (keys[i].ActivatesAt <= now)
            {
                return keys[i];
            }
        }

        return keys[0];
    }

    /// <summary>The refresh-token key a token's first byte names, if it still verifies at <paramref name="now"/>.</summary>
    public RefreshKey? FindRefreshKey(byte id, DateTimeOffset now) =>
        _current.RefreshById[id] is { } key && now < key.AcceptUntil ? key : null;

    /// <summary>
    /// Reloads the keys, creates the first of each kind, adds the next generation when the current one nears the end of its
    /// lifetime, and removes retired ones. Two instances doing this at once add one key: the store refuses the second.
    /// </summary>
    public async Task MaintainAsync(CancellationToken cancellationToken)
    {
        await _maintaining.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var stored = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
            var changed = false;
            foreach (var kind in (string[])[KeyKinds.Signing, KeyKinds.Refresh, KeyKinds.AccountSecret])
            {
                changed |= await MaintainKindAsync(kind, stored.Where(k => k.Kind == kind).OrderBy(k => k.Generation).ToList(), now, cancellationToken).ConfigureAwait(false);
            }

            if (changed)
            {
                stored = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
            }

            _current = Build(stored, now);
        }
        finally
        {
            _maintaining.Release();
        }
    }

    private async Task<bool> MaintainKindAsync(string kind, List<StoredKey> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var announce = _options.Keys.AnnouncePeriod;
        if (keys.Count == 0)
        {
            // The very first key has nothing to be announced against: it is used at once.
            await AddAsync(new StoredKey(kind, 0, now, now, NewMaterial(kind)), cancellationToken).ConfigureAwait(false);
            return true;
        }

        var changed = false;
        if (Lifetime(kind) is { } lifetime && keys[^1] is var newest && newest.ActivatesAt + lifetime - announce <= now)
        {
            // Announced a full period before it is used, and never before the current key's lifetime ends.
            var activatesAt = Max(now + announce, newest.ActivatesAt + lifetime);
            await AddAsync(new StoredKey(kind, newest.Generation + 1, now, activatesAt, NewMaterial(kind)), cancellationToken).ConfigureAwait(false);
            changed = true;
        }

        for (var i = 0; i < keys.Count - 1; i++)
        {
            if (AcceptUntil(kind, keys[i + 1].ActivatesAt) <= now)
            {
                await _store.RemoveAsync(kind, keys[i].Generation, cancellationToken).ConfigureAwait(false);
                KeyLog.KeyRetired(_logger, kind, keys[i].Generation);
                changed = true;
            }
        }

        return changed;
    }

    private async Task AddAsync(StoredKey key, CancellationToken cancellationToken)
    {
        if (await _store.TryAddAsync(key, cancellationToken).ConfigureAwait(false))
        {
            KeyLog.KeyAdded(_logger, key.Kind, key.Generation, key.ActivatesAt);
        }
    }

    private KeySet Build(IReadOnlyList<StoredKey> stored, DateTimeOffset now)
    {
        var signingStored = Live(stored, KeyKinds.Signing, now);
        var signing = new SigningKey[signingStored.Count];
        var signingUntil = new DateTimeOffset[signingStored.Count];
        for (var i = 0; i < signing.Length; i++)
        {
            var key = signingStored[i];
            if (!_signingCache.TryGetValue(key.Generation, out var ready) || ready.ActivatesAt != key.ActivatesAt)
            {
                ready = new SigningKey(key.Generation, key.ActivatesAt, key.Material);
                _signingCache[key.Generation] = ready;
            }

            signing[i] = ready;
            signingUntil[i] = i + 1 < signing.Length ? AcceptUntil(KeyKinds.Signing, signingStored[i + 1].ActivatesAt) : DateTimeOffset.MaxValue;
        }

        // Retired keys leave the cache; their signers are not disposed, as a request may still hold one.
        foreach (var generation in _signingCache.Keys.Where(g => !signing.Any(s => s.Generation == g)).ToList())
        {
            _signingCache.Remove(generation);
        }

        var refreshStored = Live(stored, KeyKinds.Refresh, now);
        var refresh = new RefreshKey[refreshStored.Count];
        var byId = new RefreshKey?[256];
        for (var i = 0; i < refresh.Length; i++)
        {
            var key = refreshStored[i];
            var until = i + 1 < refresh.Length ? AcceptUntil(KeyKinds.Refresh, refreshStored[i + 1].ActivatesAt) : DateTimeOffset.MaxValue;
            refresh[i] = new RefreshKey(key.Generation, RefreshKey.IdOf(key.Generation), key.Material, key.ActivatesAt, until);
            byId[refresh[i].Id] = refresh[i];
        }

        var account = Live(stored, KeyKinds.AccountSecret, now);
        if (signing.Length == 0 || refresh.Length == 0 || account.Count == 0)
        {
            throw new InvalidOperationException("The key store holds no signing, refresh-token or account-secret key and none could be added.");
        }

        var jwks = new StringBuilder("{\"keys\":[");
        jwks.AppendJoin(',', signing.Select(s => s.Jwk)).Append("]}");
        return new KeySet(signing, signingUntil, refresh, byId, account[0].Material, jwks.ToString());
    }

    /// <summary>The keys of <paramref name="kind"/> not yet retired at <paramref name="now"/>, oldest first.</summary>
    private List<StoredKey> Live(IReadOnlyList<StoredKey> stored, string kind, DateTimeOffset now)
    {
        var keys = stored.Where(k => k.Kind == kind).OrderBy(k => k.Generation).ToList();
        return keys.Where((k, i) => i == keys.Count - 1 || AcceptUntil(kind, keys[i + 1].ActivatesAt) > now).ToList();
    }

    /// <summary>Until when a key that stopped being used at <paramref name="stoppedAt"/> must still verify what it made.</summary>
    private DateTimeOffset AcceptUntil(string kind, DateTimeOffset stoppedAt) => kind switch
    {
        KeyKinds.Signing => stoppedAt + _options.AccessTokenLifetime + _options.ClockSkew,
        KeyKinds.Refresh => stoppedAt + _options.SessionLifetime,
        _ => DateTimeOffset.MaxValue,
    };

    private TimeSpan? Lifetime(string kind) => kind switch
    {
        KeyKinds.Signing => _options.Keys.SigningKeyLifetime,
        KeyKinds.Refresh => _options.Keys.RefreshKeyLifetime,
        _ => null,
    };

    private static byte[] NewMaterial(string kind)
    {
        if (kind != KeyKinds.Signing)
        {
            return RandomNumberGenerator.GetBytes(32);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKey();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    internal static string ComputeThumbprint(ECParameters parameters)
    {
        // RFC 7638: the required members in lexicographic order, no white space.
        var json = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url(parameters.Q.X!)}\",\"y\":\"{Base64Url(parameters.Q.Y!)}\"}}";
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    internal static string Base64Url(byte[] data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    public void Dispose()
    {
        foreach (var key in _signingCache.Values)
        {
            key.Dispose();
        }

        _maintaining.Dispose();
    }

    private sealed record KeySet(SigningKey[] Signing, DateTimeOffset[] SigningAcceptUntil, RefreshKey[] Refresh, RefreshKey?[] RefreshById, byte[] AccountSecretKey, string Jwks);
}

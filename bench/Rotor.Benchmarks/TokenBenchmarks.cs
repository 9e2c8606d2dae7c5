using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rotor.Sessions;
using Rotor.Tokens;

namespace Rotor.Benchmarks;

/// <summary>The in-process cost of each token operation on the refresh and request paths.</summary>
[MemoryDiagnoser]
public class TokenBenchmarks : IDisposable
{
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "rotor-bench-keys-" + Guid.NewGuid().ToString("N"));
    private RotorKeyRing _keyRing = null!;
    private AccessTokenIssuer _issuer = null!;
    private AccessTokenValidator _cachedValidator = null!;
    private AccessTokenValidator _uncachedValidator = null!;
    private RefreshTokenCodec _codec = null!;
    private string _accessToken = null!;
    private string _refreshToken = null!;
    private readonly Guid _session = Guid.NewGuid();

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new RotorOptions { KeyDirectory = _keys });
        var uncached = Options.Create(new RotorOptions { KeyDirectory = _keys, AccessTokenCacheSize = 0 });
        var keys = _keyRing = new RotorKeyRing(new FileKeyStore(options), options, TimeProvider.System, NullLogger<RotorKeyRing>.Instance);
        _issuer = new AccessTokenIssuer(keys, options);
        _cachedValidator = new AccessTokenValidator(keys, options, TimeProvider.System, new SessionRevocationList(TimeProvider.System, options));
        _uncachedValidator = new AccessTokenValidator(keys, uncached, TimeProvider.System, new SessionRevocationList(TimeProvider.System, options));
        _codec = new RefreshTokenCodec(keys, TimeProvider.System);
        _accessToken = IssueAccessToken();
        _refreshToken = _codec.Create(_session, 42);
        _cachedValidator.ValidateAsync(_accessToken).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public string IssueAccessToken() =>
        _issuer.Issue("0f8fad5b-d9cb-469f-a165-70867728950e", "alice", "alice@example.com", _session, DateTimeOffset.UtcNow).Token;

    [Benchmark]
    public bool ValidateAccessToken_Uncached() => _uncachedValidator.ValidateAsync(_accessToken).AsTask().GetAwaiter().GetResult().Token is not null;

    [Benchmark]
    public bool ValidateAccessToken_Cached() => _cachedValidator.ValidateAsync(_accessToken).AsTask().GetAwaiter().GetResult().Token is not null;

    [Benchmark]
    public string CreateRefreshToken() => _codec.Create(_session, 43);

    [Benchmark]
    public bool ParseRefreshToken() => _codec.TryParse(_refreshToken, out _, out _);

    [GlobalCleanup]
    public void Dispose()
    {
        _keyRing.Dispose();
        Directory.Delete(_keys, recursive: true);
        GC.SuppressFinalize(this);
    }
}

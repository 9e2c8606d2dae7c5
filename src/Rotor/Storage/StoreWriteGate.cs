namespace Rotor.Storage;

/// <summary>
/// Serialises this process's writes when the database provider asks for it (<see cref="IRotorDatabaseProvider.SerialisesWrites"/>:
/// SQLite admits one writer at a time and Microsoft.Data.Sqlite answers a busy database by sleeping in steps of up
/// to 150 ms; queueing writers here instead keeps a burst of writes at microseconds each). Other processes on the
/// same database are still coordinated by the database's own locking. Otherwise it lets everything through.
/// </summary>
internal sealed class StoreWriteGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly bool _serialise;

    // Set while a unit of work holds the gate, so the store calls it makes do not wait for themselves.
    private readonly AsyncLocal<bool> _held = new();

    public StoreWriteGate(IEnumerable<IRotorDatabaseProvider> providers) =>
        _serialise = providers.LastOrDefault()?.SerialisesWrites == true;

    public async ValueTask<Releaser> EnterAsync(CancellationToken cancellationToken)
    {
        if (!_serialise || _held.Value)
        {
            return default;
        }

        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_semaphore);
    }

    /// <summary>Runs <paramref name="work"/> holding the gate; store writes inside it pass straight through.</summary>
    public async Task<T> HoldAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        using var releaser = await EnterAsync(cancellationToken).ConfigureAwait(false);
        var outer = _held.Value;
        _held.Value = true;
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _held.Value = outer;
        }
    }

    public void Dispose() => _semaphore.Dispose();

    internal readonly struct Releaser(SemaphoreSlim? semaphore) : IDisposable
    {
        public void Dispose() => semaphore?.Release();
    }
}

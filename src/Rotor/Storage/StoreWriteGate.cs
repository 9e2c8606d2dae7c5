namespace Rotor.Storage;

/// <summary>
/// Serialises this process's writes when the database is SQLite. SQLite admits one writer at a time and
/// Microsoft.Data.Sqlite answers a busy database by sleeping in steps of up to 150 ms; queueing writers here
/// instead keeps a burst of writes at microseconds each. Other processes on the same file are still
/// coordinated by SQLite's own locking (busy_timeout).
/// </summary>
internal sealed class StoreWriteGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async ValueTask<Releaser> EnterAsync(bool serialise, CancellationToken cancellationToken)
    {
        if (!serialise)
        {
            return default;
        }

        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_semaphore);
    }

    public void Dispose() => _semaphore.Dispose();

    internal readonly struct Releaser(SemaphoreSlim? semaphore) : IDisposable
    {
        public void Dispose() => semaphore?.Release();
    }
}

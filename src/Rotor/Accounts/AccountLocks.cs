namespace Rotor.Accounts;

/// <summary>
/// Serialises password checks per account within this process, so that failures counted toward lockout
/// are exact: a burst of wrong passwords from many addresses locks the account after exactly the allowed
/// number, never after more.
/// </summary>
internal sealed class AccountLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask<IDisposable> EnterAsync(string normalizedLogin, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(normalizedLogin) % (uint)_stripes.Length];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    private sealed class Releaser(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}

namespace Rotor.Accounts;

/// <summary>
/// Serialises password checks per account within this process, so that failures counted toward lockout
/// are exact: a burst of wrong passwords locks its source after exactly the allowed number, never after more.
/// The key is the resolved account (<see cref="SignInThrottle.UserAccount"/>, or the name's key when it matches
/// nobody), so a username and its email address wait on one lock.
/// </summary>
internal sealed class AccountLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask<IDisposable> EnterAsync(string account, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(account) % (uint)_stripes.Length];
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

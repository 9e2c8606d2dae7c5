namespace Rotor.Storage;

/// <summary>
/// Runs several writes as one transaction on the request's context, which Identity's user store,
/// <see cref="IRotorStore"/> and <see cref="IAccountTokenStore"/> share: either all of them are stored, or none.
/// </summary>
internal interface IStoreUnitOfWork
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it when the work returns (a refusal it returns
    /// is committed too, with whatever it wrote); an exception rolls everything back.
    /// </summary>
    Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}

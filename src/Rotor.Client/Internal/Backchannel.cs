namespace Rotor.Client.Internal;

/// <summary>How a session reaches the Rotor server's own endpoints (login, refresh, logout), apart from the app's requests.</summary>
internal abstract class Backchannel : IDisposable
{
    public abstract Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    public virtual void Dispose()
    {
    }
}

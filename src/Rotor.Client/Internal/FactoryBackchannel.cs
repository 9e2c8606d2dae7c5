namespace Rotor.Client.Internal;

/// <summary>
/// A backchannel that takes a client from <see cref="IHttpClientFactory"/> for each call, so it follows the factory's
/// handler rotation (DNS changes) like any other client. Cookies never live in the rotating handlers: the session keeps them.
/// </summary>
internal sealed class FactoryBackchannel(IHttpClientFactory factory, string clientName) : Backchannel
{
    public override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The client is cheap and holds no resources of its own; the pooled handler outlives it.
#pragma warning disable CA2000
        var client = factory.CreateClient(clientName);
#pragma warning restore CA2000
        return client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }
}

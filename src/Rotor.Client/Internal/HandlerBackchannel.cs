namespace Rotor.Client.Internal;

/// <summary>A backchannel over one message handler, used when the session is created without dependency injection.</summary>
internal sealed class HandlerBackchannel : Backchannel
{
    private readonly HttpMessageInvoker _invoker;

    public HandlerBackchannel(HttpMessageHandler handler, bool disposeHandler) => _invoker = new HttpMessageInvoker(handler, disposeHandler);

    public override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    public override void Dispose()
    {
        _invoker.Dispose();
        base.Dispose();
    }
}

using System.Net;

namespace Rotor.Client.Tests.Infrastructure;

/// <summary>
/// An API-side inner handler: answers some requests itself (recording them) and sends the rest to the real server.
/// Used where the real server has no endpoint with the needed behaviour, such as one that always answers 401.
/// </summary>
public sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage?> answer) : DelegatingHandler(new SocketsHttpHandler { UseCookies = false })
{
    private int _stubbed;

    public int Stubbed => Volatile.Read(ref _stubbed);

    public List<string?> Authorizations { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (answer(request) is { } response)
        {
            Interlocked.Increment(ref _stubbed);
            lock (Authorizations)
            {
                Authorizations.Add(request.Headers.Authorization?.ToString());
            }

            response.RequestMessage = request;
            return response;
        }

        return await base.SendAsync(request, cancellationToken);
    }

    public static HttpResponseMessage Status(HttpStatusCode status) => new(status);
}

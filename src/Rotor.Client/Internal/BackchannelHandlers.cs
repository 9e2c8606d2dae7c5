using System.Net;

namespace Rotor.Client.Internal;

/// <summary>
/// Prepares the handlers that carry the session's own calls (login, refresh, logout): they must never follow a
/// redirect, because a 307/308 re-sends the body, refresh token and password included, to whatever host it names.
/// </summary>
internal static class BackchannelHandlers
{
    /// <summary>The handler a session creates for its own calls when it is given none.</summary>
    public static SocketsHttpHandler CreateDefault() => new()
    {
        // Cookies are the session's business (RotorSession.Cookies); a handler-level jar would double them.
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AutomaticDecompression = DecompressionMethods.All,
    };

    /// <summary>
    /// Turns off automatic redirects (and, when <paramref name="turnOffCookies"/>, the cookie jar) on the
    /// <see cref="SocketsHttpHandler"/> or <see cref="HttpClientHandler"/> at the bottom of <paramref name="handler"/>'s
    /// chain of <see cref="DelegatingHandler"/>s. Other handler types are left as they are; the session still refuses
    /// an answer that came from another origin (<see cref="AnsweredFromElsewhere"/>).
    /// </summary>
    /// <returns><c>false</c> when the handler follows redirects and has already sent requests, so it can no longer be changed.</returns>
    public static bool TryConfigure(HttpMessageHandler? handler, bool turnOffCookies)
    {
        for (var depth = 0; handler is not null && depth < 64; depth++)
        {
            try
            {
                switch (handler)
                {
                    case SocketsHttpHandler sockets:
                        if (sockets.AllowAutoRedirect)
                        {
                            sockets.AllowAutoRedirect = false;
                        }

                        if (turnOffCookies && sockets.UseCookies)
                        {
                            sockets.UseCookies = false;
                        }

                        return true;
                    case HttpClientHandler client:
                        if (client.AllowAutoRedirect)
                        {
                            client.AllowAutoRedirect = false;
                        }

                        if (turnOffCookies && client.UseCookies)
                        {
                            client.UseCookies = false;
                        }

                        return true;
                }
            }
            catch (InvalidOperationException)
            {
                // "This instance has already started one or more requests": its settings are frozen.
                return !IsFollowingRedirects(handler);
            }

            handler = (handler as DelegatingHandler)?.InnerHandler;
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="response"/> came from another origin than <paramref name="requested"/>: a handler the
    /// session could not configure followed a redirect. Its answer must not be believed (tokens, cookies).
    /// </summary>
    public static bool AnsweredFromElsewhere(Uri requested, HttpResponseMessage response) =>
        response.RequestMessage?.RequestUri is { IsAbsoluteUri: true } answered
        && (answered.Port != requested.Port
            || !string.Equals(answered.Scheme, requested.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(answered.IdnHost, requested.IdnHost, StringComparison.OrdinalIgnoreCase));

    private static bool IsFollowingRedirects(HttpMessageHandler handler) => handler switch
    {
        SocketsHttpHandler sockets => sockets.AllowAutoRedirect,
        HttpClientHandler client => client.AllowAutoRedirect,
        _ => false,
    };
}

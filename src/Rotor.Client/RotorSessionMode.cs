namespace Rotor.Client;

/// <summary>How the refresh token travels between a <see cref="RotorSession"/> and the Rotor server.</summary>
public enum RotorSessionMode
{
    /// <summary>
    /// The default: login asks for <c>"mode": "native"</c>, the refresh token comes back in the body, and the session
    /// sends it in the body of <c>/auth/refresh</c>. It is kept in the session's <see cref="IRotorTokenStore"/>.
    /// </summary>
    Native = 0,

    /// <summary>
    /// For a server that only speaks browser mode: the refresh token lives in the server's HttpOnly refresh cookie
    /// (<c>__Host-rotor_refresh</c>, or <c>rotor_refresh</c> on a plain-http development server),
    /// kept in <see cref="RotorSession.Cookies"/>, and refresh and logout carry <c>X-Requested-With</c>. The cookie is
    /// not written to the token store, so a cookie-mode session does not outlive the process.
    /// </summary>
    Cookie = 1,
}

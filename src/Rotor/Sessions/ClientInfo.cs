using Microsoft.AspNetCore.Http;

namespace Rotor.Sessions;

/// <summary>Who is asking: the client address and a truncated User-Agent, for sessions and the security log.</summary>
internal readonly record struct ClientInfo(string? IpAddress, string? UserAgent)
{
    private const int MaxUserAgent = 512;

    public static ClientInfo From(HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        return new ClientInfo(
            context.Connection.RemoteIpAddress?.ToString(),
            agent.Length == 0 ? null : agent.Length > MaxUserAgent ? agent[..MaxUserAgent] : agent);
    }
}

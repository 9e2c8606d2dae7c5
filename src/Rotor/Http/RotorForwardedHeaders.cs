using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace Rotor.Http;

/// <summary>Turns <see cref="RotorForwardedHeadersOptions"/> into ASP.NET Core's <see cref="ForwardedHeadersOptions"/>.</summary>
internal static class RotorForwardedHeaders
{
    public static void Apply(ForwardedHeadersOptions forwarded, RotorForwardedHeadersOptions rotor)
    {
        // Nothing configured: leave the app's own settings alone (ASP.NET Core's default forwards nothing).
        if (rotor.KnownProxies.Count == 0 && rotor.KnownNetworks.Count == 0)
        {
            return;
        }

        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.ForwardLimit = rotor.ForwardLimit;

        // ASP.NET Core trusts loopback by default; behind a proxy on the same machine that must be said explicitly.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in rotor.KnownProxies)
        {
            forwarded.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
        }

        foreach (var network in rotor.KnownNetworks)
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
        }
    }
}

namespace Rotor;

/// <summary>
/// The reverse proxies (load balancers) in front of Rotor, bound from <c>Rotor:ForwardedHeaders</c>. Only a request
/// whose connection comes from one of them has its <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> believed;
/// the resulting client address is the one the per-address rate limits, the lockout and the session list see.
/// With none configured (the default) the headers are ignored. The host must call <c>app.UseForwardedHeaders()</c>
/// first in its pipeline.
/// </summary>
public sealed class RotorForwardedHeadersOptions
{
    /// <summary>Addresses of trusted proxies, for example <c>10.0.0.5</c>. Default: none.</summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, for example <c>10.0.0.0/24</c>. Default: none.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>
    /// How many proxy hops to read back from the end of <c>X-Forwarded-For</c>; each hop's sender must itself be a
    /// known proxy for the next one to be read. Default: 1 (one load balancer). Between 1 and 10.
    /// </summary>
    public int ForwardLimit { get; set; } = 1;
}

using System.Net;
using Microsoft.Extensions.Options;

namespace Rotor.Http;

/// <summary>Checks <c>Rotor:ForwardedHeaders</c> at start-up and says what to fix.</summary>
internal sealed class RotorForwardedHeadersValidator : IValidateOptions<RotorOptions>
{
    public ValidateOptionsResult Validate(string? name, RotorOptions options)
    {
        var forwarded = options.ForwardedHeaders;
        var failures = new List<string>();
        for (var i = 0; i < forwarded.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(forwarded.KnownProxies[i]?.Trim(), out _))
            {
                failures.Add($"Rotor:ForwardedHeaders:KnownProxies:{i} ('{forwarded.KnownProxies[i]}') is not an IP address; set it to a proxy's address, for example 10.0.0.5.");
            }
        }

        for (var i = 0; i < forwarded.KnownNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(forwarded.KnownNetworks[i]?.Trim(), out _))
            {
                failures.Add($"Rotor:ForwardedHeaders:KnownNetworks:{i} ('{forwarded.KnownNetworks[i]}') is not a network in CIDR notation; set it like 10.0.0.0/24.");
            }
        }

        if (forwarded.ForwardLimit is < 1 or > 10)
        {
            failures.Add($"Rotor:ForwardedHeaders:ForwardLimit is {forwarded.ForwardLimit}; set it between 1 and 10 (the number of proxies in front of Rotor).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

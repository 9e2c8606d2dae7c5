using Microsoft.AspNetCore.Builder;

namespace Rotor.Endpoints;

/// <summary>
/// What <c>MapRotor</c> returns: every convention an app adds (a host requirement, a rate limiter, OpenAPI metadata)
/// reaches all of Rotor's endpoints, though they live in more than one group (the <c>/oauth/*</c> group has filters of
/// its own around the shared one).
/// </summary>
internal sealed class RotorConventionBuilder(params IEndpointConventionBuilder[] groups) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var group in groups)
        {
            group.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var group in groups)
        {
            group.Finally(finallyConvention);
        }
    }
}

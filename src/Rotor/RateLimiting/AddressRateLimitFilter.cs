using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Rotor.RateLimiting;

/// <summary>Applies the per-address limit of <paramref name="policy"/> to an endpoint, before anything else it does.</summary>
internal sealed class AddressRateLimitFilter(string policy) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (await http.RequestServices.GetRequiredService<RotorRateLimiter>().AddressAsync(policy, http) is { } wait)
        {
            return RotorRateLimiting.Rejected(http, wait);
        }

        return await next(context);
    }
}

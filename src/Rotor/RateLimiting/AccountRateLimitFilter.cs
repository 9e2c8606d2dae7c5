using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rotor.Accounts;
using Rotor.Http;

namespace Rotor.RateLimiting;

/// <summary>
/// Applies the per-account limit of <paramref name="policy"/> (<see cref="RotorRateLimiter"/>) to an endpoint whose JSON body names an account: it peeks at the
/// body (buffered, bounded, then rewound for the handler) for the first of <paramref name="fields"/> that is set.
/// A body it cannot read is left for the handler to refuse.
/// </summary>
internal sealed class AccountRateLimitFilter(string policy, params string[] fields) : IEndpointFilter
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false };

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var account = await ReadAccountAsync(http.Request, http.RequestServices.GetRequiredService<IOptions<RotorOptions>>().Value.MaxRequestBodyBytes);
        if (account is not null && await http.RequestServices.GetRequiredService<RotorRateLimiter>().AccountAsync(policy, account, http.RequestAborted) is { } wait)
        {
            return RotorRateLimiting.Rejected(http, wait);
        }

        return await next(context);
    }

    private async Task<string?> ReadAccountAsync(HttpRequest request, int maxBytes)
    {
        if (!JsonBody.IsUtf8Json(request) || request.ContentLength is 0 or > int.MaxValue || request.ContentLength > maxBytes)
        {
            return null;
        }

        request.EnableBuffering();
        var buffer = new byte[Math.Min(maxBytes, (int?)request.ContentLength ?? maxBytes) + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted)) > 0)
            {
                length += read;
            }
        }
        finally
        {
            request.Body.Position = 0;
        }

        if (length > maxBytes)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length), DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            // The handler binds case-insensitively and refuses a key given twice in any letter case; such a body
            // names no account here either, so it cannot spend one account's allowance while naming another.
            foreach (var field in fields)
            {
                JsonElement? match = null;
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name.Equals(field, StringComparison.OrdinalIgnoreCase))
                    {
                        if (match is not null)
                        {
                            return null;
                        }

                        match = property.Value;
                    }
                }

                if (match is { ValueKind: JsonValueKind.String } element && element.GetString() is { } value && !string.IsNullOrWhiteSpace(value))
                {
                    // Longer than any valid name or address: the prefix is key enough, and keeps the limiter's table small.
                    return RotorLookupNormalizer.Normalize(value.Length > AccountRules.MaxEmailLength ? value[..AccountRules.MaxEmailLength] : value);
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Rotor;

/// <summary>
/// Decides whether a browser request that relies on the refresh cookie may proceed: the cross-site request
/// forgery rules of Rotor's cookie-borne endpoints.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed;

    public OriginPolicy(IOptions<RotorOptions> options)
    {
        _allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var origin in options.Value.AllowedOrigins)
        {
            if (TryNormalize(origin, out var normalized))
            {
                _allowed.Add(normalized);
            }
        }
    }

    public IReadOnlyCollection<string> AllowedOrigins => _allowed;

    public bool IsAllowedCrossOrigin(string origin) => TryNormalize(origin, out var n) && _allowed.Contains(n);

    /// <summary>Returns a reason when the request must be refused, or null when it may proceed.</summary>
    public string? CheckCookieRequest(HttpRequest request)
    {
        if (!request.Headers.ContainsKey("X-Requested-With"))
        {
            return "Requests that use the refresh cookie must carry the X-Requested-With header.";
        }

        if (string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return "Cross-site requests may not use the refresh cookie.";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            var own = request.Scheme + "://" + request.Host.Value;
            if (!TryNormalize(origin, out var normalized)
                || (!string.Equals(normalized, own, StringComparison.OrdinalIgnoreCase) && !_allowed.Contains(normalized)))
            {
                return "The request's Origin is neither this server nor one of Rotor:AllowedOrigins.";
            }
        }

        return null;
    }

    internal static bool TryNormalize(string? origin, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(origin) || origin == "null" || origin.Contains('*', StringComparison.Ordinal))
        {
            return false;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/" || origin.TrimEnd('/').Length != origin.TrimEnd('/').TrimEnd().Length
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        normalized = uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
        return origin.TrimEnd('/').Equals(normalized, StringComparison.OrdinalIgnoreCase)
            || origin.TrimEnd('/').Equals($"{uri.Scheme}://{uri.Host}:{uri.Port}", StringComparison.OrdinalIgnoreCase);
    }
}

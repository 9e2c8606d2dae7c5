namespace Rotor.Client.Internal;

/// <summary>
/// Decides which requests carry the access token: only those to the server's origin (or a trusted one) whose path is
/// not excluded. Works on the URI's canonical form without allocating, because it runs on every request.
/// </summary>
internal sealed class RequestFilter
{
    private readonly (string Scheme, string Host, int Port)[] _origins;
    private readonly string[] _excluded;

    public RequestFilter(Uri server, IEnumerable<Uri> trustedOrigins, IEnumerable<string> excludedPaths)
    {
        _origins = [.. new[] { server }.Concat(trustedOrigins).Select(u => (u.Scheme, u.IdnHost, u.Port)).Distinct()];
        _excluded = [.. excludedPaths.Select(p => p.TrimEnd('/')).Where(p => p.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    public bool ShouldAuthorize(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri || !IsTrustedOrigin(uri))
        {
            return false;
        }

        return !IsExcluded(uri);
    }

    public bool IsExcluded(Uri uri)
    {
        Span<char> buffer = stackalloc char[512];
        ReadOnlySpan<char> path = uri.TryFormat(buffer, out var written)
            ? PathOf(buffer[..written])
            : uri.AbsolutePath.AsSpan();
        path = path.TrimEnd('/');
        foreach (var excluded in _excluded)
        {
            if (path.EndsWith(excluded, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="uri"/>'s origin is the server's or a trusted one (its path aside).</summary>
    public bool IsTrustedOrigin(Uri uri)
    {
        foreach (var (scheme, host, port) in _origins)
        {
            if (uri.Port == port
                && string.Equals(uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase)
                && string.Equals(uri.IdnHost, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path of an absolute URI in text form: after <c>scheme://authority</c>, before <c>?</c> or <c>#</c>.</summary>
    private static ReadOnlySpan<char> PathOf(ReadOnlySpan<char> text)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return [];
        }

        var rest = text[(schemeEnd + 3)..];
        var slash = rest.IndexOfAny('/', '?', '#');
        if (slash < 0 || rest[slash] != '/')
        {
            return [];
        }

        var path = rest[slash..];
        var end = path.IndexOfAny('?', '#');
        return end < 0 ? path : path[..end];
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Rotor.Http;

/// <summary>Reads, writes and clears the HttpOnly refresh-token cookie of browser sessions.</summary>
internal sealed class RefreshCookie(IOptions<RotorOptions> options, TimeProvider time)
{
    private readonly RefreshCookieOptions _cookie = options.Value.RefreshCookie;

    private readonly string _name = options.Value.RefreshCookie.EffectiveName;

    /// <summary>
    /// The cookie's value; cookies of any other name are ignored, however alike (a tossed <c>rotor_refresh</c>
    /// next to <c>__Host-rotor_refresh</c>). <paramref name="duplicate"/> is set when more than one cookie of this
    /// exact name arrived, which is how a cookie planted under a name without the prefix shows up; such a
    /// request is refused.
    /// </summary>
    public string? Read(HttpRequest request, out bool duplicate)
    {
        duplicate = false;
        string? value = null;
        var prefix = _name + "=";
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var part in (header ?? "").Split(';'))
            {
                var pair = part.AsSpan().Trim();
                if (pair.StartsWith(prefix, StringComparison.Ordinal))
                {
                    if (value is not null)
                    {
                        duplicate = true;
                    }

                    value = pair[prefix.Length..].ToString();
                }
            }
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    public bool IsPresent(HttpRequest request) => Read(request, out _) is not null;

    public void Write(HttpResponse response, string token, DateTimeOffset expiresAt)
    {
        var maxAge = expiresAt - time.GetUtcNow();
        response.Cookies.Append(_name, token, Options(maxAge > TimeSpan.Zero ? maxAge : TimeSpan.Zero));
    }

    public void Clear(HttpResponse response) => response.Cookies.Append(_name, "", Options(TimeSpan.Zero));

    private CookieOptions Options(TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = _cookie.Secure,
        SameSite = SameSiteMode.Strict,
        Path = _cookie.Path,
        MaxAge = TimeSpan.FromSeconds(Math.Floor(maxAge.TotalSeconds)),
        IsEssential = true,
    };
}

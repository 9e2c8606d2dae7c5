using Microsoft.Extensions.Options;
using Rotor.Email;

namespace Rotor;

/// <summary>Checks <see cref="RotorOptions"/> at start-up and says what to fix.</summary>
internal sealed class RotorOptionsValidator : IValidateOptions<RotorOptions>
{
    public ValidateOptionsResult Validate(string? name, RotorOptions options)
    {
        var failures = new List<string>();

        void Range(string key, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
            {
                failures.Add($"Rotor:{key} is {value}; set it between {min} and {max} (a TimeSpan such as 00:15:00, or Rotor__{key} in the environment).");
            }
        }

        Range(nameof(options.AccessTokenLifetime), options.AccessTokenLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Range(nameof(options.RefreshTokenLifetime), options.RefreshTokenLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(365));
        Range(nameof(options.SessionLifetime), options.SessionLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromDays(365));
        Range(nameof(options.RotationGracePeriod), options.RotationGracePeriod, TimeSpan.Zero, TimeSpan.FromMinutes(2));
        Range(nameof(options.ClockSkew), options.ClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Range(nameof(options.PurgeInterval), options.PurgeInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Range(nameof(options.RevocationPollInterval), options.RevocationPollInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));

        if (options.AccessTokenLifetime >= options.RefreshTokenLifetime)
        {
            failures.Add($"Rotor:AccessTokenLifetime ({options.AccessTokenLifetime}) must be shorter than Rotor:RefreshTokenLifetime ({options.RefreshTokenLifetime}).");
        }

        if (options.RefreshTokenLifetime > options.SessionLifetime)
        {
            failures.Add($"Rotor:RefreshTokenLifetime ({options.RefreshTokenLifetime}) must not exceed Rotor:SessionLifetime ({options.SessionLifetime}).");
        }

        if (options.Admin.Policy is null && string.IsNullOrWhiteSpace(options.Admin.Role))
        {
            failures.Add("Rotor:Admin:Role is empty; name the Identity role whose users may use /admin (default rotor-admin), or set Rotor:Admin:Policy to a policy of the app's own.");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add("Rotor:Issuer is empty; set it to the name or URL of this server, for example https://auth.example.com.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Rotor:Audience is empty; set it to the name of the API the access tokens are for.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyDirectory))
        {
            failures.Add("Rotor:KeyDirectory is empty; set it to a folder the server may write its keys to, for example data/keys.");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add($"Rotor:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; set it between 1024 and 1048576.");
        }

        if (options.AccessTokenCacheSize < 0)
        {
            failures.Add("Rotor:AccessTokenCacheSize is negative; set it to 0 (off) or a positive count.");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (!OriginPolicy.TryNormalize(origin, out _))
            {
                failures.Add($"Rotor:AllowedOrigins has '{origin}'; list origins as scheme://host[:port] with no path. 'null' and '*' are never allowed.");
            }
        }

        var cookie = options.RefreshCookie;
        if (cookie.Name is { } cookieName && (string.IsNullOrWhiteSpace(cookieName) || cookieName.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c))))
        {
            failures.Add($"Rotor:RefreshCookie:Name is '{cookieName}'; leave it unset for __Host-rotor_refresh, or use a cookie token name such as __Host-myapp_refresh.");
        }

        if (string.IsNullOrWhiteSpace(cookie.Path) || !cookie.Path.StartsWith('/'))
        {
            failures.Add($"Rotor:RefreshCookie:Path is '{cookie.Path}'; set it to / (required for a __Host- cookie).");
        }
        else if (RefreshCookieOptions.HasHostPrefix(cookie.EffectiveName))
        {
            // Browsers drop a __Host- cookie that is not Secure, has a Domain or a Path other than /: sign-in
            // would appear to work and every refresh would then fail.
            if (!cookie.Secure)
            {
                failures.Add($"Rotor:RefreshCookie:Name is '{cookie.EffectiveName}' but Rotor:RefreshCookie:Secure is false, and browsers refuse a __Host- cookie that is not Secure; set Secure to true (serve over HTTPS, or http://localhost), or for plain-http development leave Name unset (the cookie is then rotor_refresh).");
            }

            if (cookie.Path != "/")
            {
                failures.Add($"Rotor:RefreshCookie:Path is '{cookie.Path}' but a __Host- cookie needs Path=/; set Rotor:RefreshCookie:Path to /, or set Rotor:RefreshCookie:Name to a name without the __Host- prefix (which gives up its protection against cookies planted by sibling subdomains).");
            }
        }
        else if (cookie.Name is { } secureName && secureName.StartsWith("__Secure-", StringComparison.Ordinal) && !cookie.Secure)
        {
            failures.Add($"Rotor:RefreshCookie:Name is '{secureName}' but Rotor:RefreshCookie:Secure is false, and browsers refuse a __Secure- cookie that is not Secure; set Secure to true or choose another name.");
        }

        Range(nameof(options.ReauthenticationWindow), options.ReauthenticationWindow, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1));
        Range(nameof(options.PasswordResetLifetime), options.PasswordResetLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        if (!Uri.TryCreate(options.PublicOrigin, UriKind.Absolute, out var publicOrigin)
            || (publicOrigin.Scheme != Uri.UriSchemeHttp && publicOrigin.Scheme != Uri.UriSchemeHttps)
            || publicOrigin.AbsolutePath != "/" || publicOrigin.Query.Length > 0 || publicOrigin.Fragment.Length > 0 || publicOrigin.UserInfo.Length > 0)
        {
            failures.Add($"Rotor:PublicOrigin is '{options.PublicOrigin}'; set it to the absolute http(s) origin users open, with no path, such as https://app.example.com.");
        }

        RotorEmailOptionsValidator.Validate(options.Email, failures);
        Tokens.RotorKeyOptionsValidation.Validate(options, failures);
        Dpop.RotorDpopOptionsValidation.Validate(options.Dpop, failures);
        foreach (var (limitName, limit) in options.RateLimits.All())
        {
            if (limit.PerAddress < 0 || limit.PerAccount < 0)
            {
                failures.Add($"Rotor:RateLimits:{limitName} has a negative count; set PerAddress and PerAccount to 0 (off) or a positive number of requests.");
            }

            Range($"RateLimits:{limitName}:Window", limit.Window, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        }

        var lockout = options.Lockout;
        Range("Lockout:MaxLockout", lockout.MaxLockout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Range("Lockout:FailureMemory", lockout.FailureMemory, lockout.MaxLockout, TimeSpan.FromDays(30));
        Range("Lockout:AccountFailureWindow", lockout.AccountFailureWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (lockout.AccountFailureLimit < 0)
        {
            failures.Add("Rotor:Lockout:AccountFailureLimit is negative; set it to 0 (off) or a number of failed passwords, such as 50.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using Microsoft.Extensions.Options;

namespace Rotor.Client.Internal;

/// <summary>Checks <see cref="RotorSessionOptions"/> and says what to change.</summary>
internal sealed class RotorSessionOptionsValidator : IValidateOptions<RotorSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, RotorSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static void ThrowIfInvalid(string name, RotorSessionOptions options)
    {
        var errors = Check(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(name, typeof(RotorSessionOptions), errors);
        }
    }

    private static List<string> Check(RotorSessionOptions o)
    {
        var errors = new List<string>();
        if (o.ServerAddress is null)
        {
            errors.Add("RotorSessionOptions.ServerAddress is required: set it to the Rotor server's base address, for example https://auth.example.com/.");
        }
        else if (!o.ServerAddress.IsAbsoluteUri || (o.ServerAddress.Scheme != Uri.UriSchemeHttps && o.ServerAddress.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"RotorSessionOptions.ServerAddress must be an absolute http or https address, for example https://auth.example.com/; it is '{o.ServerAddress}'.");
        }

        if (!Enum.IsDefined(o.Mode))
        {
            errors.Add($"RotorSessionOptions.Mode must be Native or Cookie; it is {(int)o.Mode}.");
        }

        if (o.UseDpop && o.Mode != RotorSessionMode.Native)
        {
            errors.Add("RotorSessionOptions.UseDpop binds native sessions (the refresh token in the token store); set Mode = Native, or UseDpop = false for Cookie mode.");
        }

        Range(errors, nameof(o.RefreshMargin), o.RefreshMargin, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(errors, nameof(o.MaxRefreshBackoff), o.MaxRefreshBackoff, TimeSpan.Zero, TimeSpan.FromHours(1));
        Range(errors, nameof(o.RefreshBackoff), o.RefreshBackoff, TimeSpan.Zero, o.MaxRefreshBackoff);
        Range(errors, nameof(o.RefreshTimeout), o.RefreshTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        if (o.MaxBufferedContentLength < 0)
        {
            errors.Add($"RotorSessionOptions.MaxBufferedContentLength must be zero or more bytes; it is {o.MaxBufferedContentLength}.");
        }

        foreach (var path in o.ExcludedPaths)
        {
            if (string.IsNullOrWhiteSpace(path) || path[0] != '/')
            {
                errors.Add($"RotorSessionOptions.ExcludedPaths entries must start with '/', like /auth/login; '{path}' does not.");
            }
        }

        foreach (var origin in o.TrustedOrigins)
        {
            if (origin is null || !origin.IsAbsoluteUri || (origin.Scheme != Uri.UriSchemeHttps && origin.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"RotorSessionOptions.TrustedOrigins entries must be absolute http or https addresses like https://api.example.com; '{origin}' is not.");
            }
        }

        return errors;
    }

    private static void Range(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"RotorSessionOptions.{name} must be between {min} and {max}; it is {value}.");
        }
    }
}

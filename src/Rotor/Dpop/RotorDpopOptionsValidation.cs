namespace Rotor.Dpop;

/// <summary>Start-up checks of <see cref="RotorDpopOptions"/>, each saying what to set.</summary>
internal static class RotorDpopOptionsValidation
{
    public static void Validate(RotorDpopOptions dpop, List<string> failures)
    {
        foreach (var algorithm in dpop.AllowedAlgorithms)
        {
            if (!RotorDpopOptions.SupportedAlgorithms.Contains(algorithm.Trim(), StringComparer.Ordinal))
            {
                failures.Add($"Rotor:Dpop:AllowedAlgorithms has '{algorithm}'; list asymmetric JWS algorithms from {string.Join(", ", RotorDpopOptions.SupportedAlgorithms)} (none and HS* are never allowed), or leave it empty for {string.Join(", ", RotorDpopOptions.DefaultAlgorithms)}.");
            }
        }

        Range("ProofLifetime", dpop.ProofLifetime, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10), failures);
        Range("ClockSkew", dpop.ClockSkew, TimeSpan.Zero, TimeSpan.FromMinutes(5), failures);
        Range("NonceLifetime", dpop.NonceLifetime, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), failures);
        if (dpop.NonceLifetime.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            failures.Add($"Rotor:Dpop:NonceLifetime is {dpop.NonceLifetime}; set it to whole seconds, such as 00:05:00.");
        }

        if (dpop.Origin is { } origin && !OriginPolicy.TryNormalize(origin, out _))
        {
            failures.Add($"Rotor:Dpop:Origin is '{origin}'; set it to the scheme://host[:port] clients call Rotor at, with no path (such as https://auth.example.com), or leave it unset to use the request's own.");
        }
    }

    private static void Range(string key, TimeSpan value, TimeSpan min, TimeSpan max, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"Rotor:Dpop:{key} is {value}; set it between {min} and {max} (a TimeSpan such as 00:01:00, or Rotor__Dpop__{key} in the environment).");
        }
    }
}

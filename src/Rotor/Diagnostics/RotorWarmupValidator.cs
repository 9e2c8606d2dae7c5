using Microsoft.Extensions.Options;

namespace Rotor.Diagnostics;

/// <summary>Checks <c>Rotor:Warmup</c> at start-up and says what to fix.</summary>
internal sealed class RotorWarmupValidator : IValidateOptions<RotorOptions>
{
    public ValidateOptionsResult Validate(string? name, RotorOptions options)
    {
        var warmup = options.Warmup;
        var failures = new List<string>();
        if (warmup.Duration < TimeSpan.FromMilliseconds(100) || warmup.Duration > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Rotor:Warmup:Duration is {warmup.Duration}; set it between 00:00:00.1 and 00:05:00 (for example 00:00:05), or set Rotor:Warmup:Enabled to false.");
        }

        if (warmup.Iterations is < 1)
        {
            failures.Add($"Rotor:Warmup:Iterations is {warmup.Iterations}; set it to 1 or more, or leave it unset to run for Rotor:Warmup:Duration.");
        }

        if (warmup.Concurrency is < 1 or > 64)
        {
            failures.Add($"Rotor:Warmup:Concurrency is {warmup.Concurrency}; set it between 1 and 64 (4 suits most machines).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

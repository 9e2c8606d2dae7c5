using Rotor.Storage;

namespace Rotor.Accounts;

/// <summary>
/// The allowance of wrong verification codes per address, across codes: 5 per 15 minutes; running out blocks
/// the address for 15 minutes, then 30, 60 … up to a day. A day without a wrong code forgets the history.
/// </summary>
internal static class CodeBudget
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MaxBlock = TimeSpan.FromDays(1);
    public static readonly TimeSpan Memory = TimeSpan.FromDays(1);

    /// <summary>How long codes for the address are still refused unchecked; null when they may be checked.</summary>
    public static TimeSpan? BlockedFor(RotorCodeBudget? budget, DateTimeOffset now) =>
        budget?.BlockedUntil is { } until && until > now ? until - now : null;

    /// <summary>Counts a wrong code into <paramref name="budget"/> (a new one when null); returns the block it started, if it was the last allowed.</summary>
    public static (RotorCodeBudget Budget, TimeSpan? Block) Fail(RotorCodeBudget? budget, string key, DateTimeOffset now)
    {
        var next = budget is null || budget.UpdatedAt + Memory <= now
            ? new RotorCodeBudget { Key = key, WindowStartedAt = now, Version = budget?.Version ?? 0 }
            : Copy(budget);
        if (next.WindowStartedAt + Window <= now)
        {
            next.Failures = 0;
            next.WindowStartedAt = now;
        }

        next.Failures++;
        next.UpdatedAt = now;
        next.BlockedUntil = null;
        if (next.Failures < MaxFailures)
        {
            return (next, null);
        }

        next.Strikes++;
        var block = Window * Math.Pow(2, Math.Min(next.Strikes - 1, 16));
        block = block < MaxBlock ? block : MaxBlock;
        next.BlockedUntil = now + block;
        next.Failures = 0;
        next.WindowStartedAt = now + block;
        return (next, block);
    }

    private static RotorCodeBudget Copy(RotorCodeBudget budget) => new()
    {
        Key = budget.Key,
        Failures = budget.Failures,
        WindowStartedAt = budget.WindowStartedAt,
        BlockedUntil = budget.BlockedUntil,
        Strikes = budget.Strikes,
        UpdatedAt = budget.UpdatedAt,
        Version = budget.Version,
    };
}

using Microsoft.Extensions.Logging;

namespace Rotor.Tokens;

/// <summary>Log messages about keys; never the key material.</summary>
internal static partial class KeyLog
{
    [LoggerMessage(9001, LogLevel.Information, "New {Kind} key generation {Generation} published; it is used from {ActivatesAt:O}.")]
    public static partial void KeyAdded(ILogger logger, string kind, int generation, DateTimeOffset activatesAt);

    [LoggerMessage(9002, LogLevel.Information, "{Kind} key generation {Generation} retired: nothing it produced is still valid.")]
    public static partial void KeyRetired(ILogger logger, string kind, int generation);

    [LoggerMessage(9003, LogLevel.Warning, "Reading or rotating the keys failed; the keys already loaded stay in use.")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);
}

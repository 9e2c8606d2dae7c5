using Microsoft.Extensions.Logging;

namespace Rotor.Admin;

/// <summary>Admin actions, logged with both user ids so an operator can follow them without the database.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(201, LogLevel.Information, "Admin {ActorId} did {Action} on user {UserId} ({Count} sessions ended).")]
    public static partial void Acted(ILogger logger, string actorId, string action, string userId, int count);
}

using Microsoft.EntityFrameworkCore;

namespace Rotor.Storage;

/// <summary>
/// Runs <see cref="RotorSql.Rotate"/> for one request and returns its row (null when the swap did not apply).
/// A provider package may replace it to group concurrent rotations (SQLite's group commit); the answer must only
/// be returned once the rotation is durable.
/// </summary>
internal interface IRotationExecutor
{
    Task<RotationOutcome?> RotateAsync(RotorSql sql, DbContext db, RotationRequest request, CancellationToken cancellationToken);
}

using System.Data.Common;

namespace Rotor.Storage;

/// <summary>Reads the rows the rotation statements of <see cref="RotorSql"/> return.</summary>
internal static class EfRotorStoreReader
{
    /// <summary>The row of <see cref="RotorSql.Rotate"/>: a rotated session, or null when the swap did not apply.</summary>
    public static async Task<RotationOutcome?> ReadRotationAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader, RotationKind.Rotated, 0) : null;
    }

    /// <summary>The row of <see cref="RotorSql.Classify"/>; <see cref="RotationOutcome.Unknown"/> when there is no such session.</summary>
    public static async Task<RotationOutcome> ReadClassificationAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return RotationOutcome.Unknown;
        }

        var kind = (RotationKind)Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        return Enum.IsDefined(kind) ? Read(reader, kind, 1) : RotationOutcome.Unknown;
    }

    /// <summary>A rotated session from the columns <see cref="RotorSql.Rotate"/> returns, starting at <paramref name="first"/>.</summary>
    public static RotationOutcome ReadRotated(DbDataReader reader, int first) => Read(reader, RotationKind.Rotated, first);

    private static RotationOutcome Read(DbDataReader reader, RotationKind kind, int first) => new(
        kind,
        reader.GetString(first),
        reader.GetInt64(first + 1),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 2)),
        reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
        reader.IsDBNull(first + 5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 5)));
}

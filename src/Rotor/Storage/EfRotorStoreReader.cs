using System.Data.Common;

namespace Rotor.Storage;

/// <summary>Reads the rows the statements of <see cref="RotorSql"/> return.</summary>
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
        if (!Enum.IsDefined(kind))
        {
            return RotationOutcome.Unknown;
        }

        // The revocation reason follows the kind and the columns Rotate returns.
        var reason = reader.FieldCount > ReasonColumn && !reader.IsDBNull(ReasonColumn) ? reader.GetString(ReasonColumn) : null;
        return Read(reader, kind, 1) with { RevocationReason = kind == RotationKind.Revoked ? reason : null };
    }

    /// <summary>The first column of every row, as text (the user ids of <see cref="RotorSql.TakeAccountChanges"/>).</summary>
    public static async Task<IReadOnlyList<string>> ReadStringsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>The first column of the first row as a <see cref="Guid"/>, or null (<see cref="RotorSql.SweepPageEnd"/>).</summary>
    public static async Task<Guid?> ReadGuidAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0) ? reader.GetFieldValue<Guid>(0) : null;
    }

    // Classify: the kind (0), then the RotatedColumns columns Rotate returns, then the revocation reason.
    private const int RotatedColumns = 7;
    private const int ReasonColumn = 1 + RotatedColumns;

    /// <summary>A rotated session from the columns <see cref="RotorSql.Rotate"/> returns, starting at <paramref name="first"/>.</summary>
    public static RotationOutcome ReadRotated(DbDataReader reader, int first) => Read(reader, RotationKind.Rotated, first);

    private static RotationOutcome Read(DbDataReader reader, RotationKind kind, int first) => new(
        kind,
        reader.GetString(first),
        reader.GetInt64(first + 1),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 2)),
        reader.IsDBNull(first + 3) ? null : reader.GetString(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
        reader.IsDBNull(first + 5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 5)),
        reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6));
}

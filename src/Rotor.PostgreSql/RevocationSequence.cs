namespace Rotor.PostgreSql;

/// <summary>
/// Where a catch-up read of the revocation log must start: the highest sequence below which this instance has seen
/// every line (its watermark).
/// </summary>
/// <remarks>
/// Sequence values are taken when a revoking statement runs but become visible when its transaction commits, so
/// under concurrent transactions they commit out of order: after seeing 11, 10 may still arrive. "Everything after
/// the highest seen" would then skip 10 if the connection dropped before 10 committed. So the watermark only
/// advances over a contiguous run; a hole (a transaction still open, or one that rolled back and will never fill
/// it) holds it back until <see cref="HoleTimeout"/>, after which it is taken as rolled back. A catch-up from the
/// watermark re-reads the few lines above it already seen (the revocation list ignores repeats). A transaction
/// that keeps a revocation uncommitted for longer than the timeout and commits exactly while this instance is
/// disconnected is left to the poll, which reads by time and bounds the delay by its interval.
/// </remarks>
internal sealed class RevocationSequence
{
    /// <summary>How long a hole in the sequence is waited for before it is taken as a rolled-back transaction.</summary>
    public static readonly TimeSpan HoleTimeout = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly SortedSet<long> _above = [];
    private long _watermark = -1;
    private DateTimeOffset _holeSince;

    /// <summary>Whether a starting point is known (false before the first connection's catch-up).</summary>
    public bool IsKnown
    {
        get
        {
            lock (_lock)
            {
                return _watermark >= 0;
            }
        }
    }

    /// <summary>
    /// Starts from the log's last line, read after LISTEN: every line at or below it is either visible to that read
    /// or in a transaction that commits later and so is delivered to this listener.
    /// </summary>
    public void Start(long last, DateTimeOffset now)
    {
        lock (_lock)
        {
            _above.RemoveWhere(s => s <= last);
            _watermark = Math.Max(_watermark, last);
            Advance(now);
        }
    }

    /// <summary>Records a line seen (notified or read).</summary>
    public void Seen(long sequence, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_watermark < 0 || sequence <= _watermark)
            {
                return;
            }

            if (_above.Count == 0)
            {
                _holeSince = now;
            }

            _above.Add(sequence);
            Advance(now);
        }
    }

    /// <summary>The position to catch up from: lines after it may have been missed.</summary>
    public long CatchUpFrom(DateTimeOffset now)
    {
        lock (_lock)
        {
            while (_above.Count > 0 && now - _holeSince >= HoleTimeout)
            {
                // The oldest hole is given up on: jump to the next line seen and keep going from there.
                _watermark = _above.Min;
                _above.Remove(_watermark);
                _holeSince = now;
                Advance(now);
            }

            return _watermark;
        }
    }

    private void Advance(DateTimeOffset now)
    {
        var moved = false;
        while (_above.Count > 0 && _above.Min == _watermark + 1)
        {
            _watermark++;
            _above.Remove(_watermark);
            moved = true;
        }

        if (moved)
        {
            // The hole now holding the watermark back is a newer one: its wait starts now.
            _holeSince = now;
        }
    }
}

using Rotor.PostgreSql;

namespace Rotor.Tests.Sessions;

/// <summary>
/// The catch-up position of the PostgreSQL revocation listener: sequence values commit out of order, so a catch-up
/// starts below the first hole, not after the highest value seen.
/// </summary>
public sealed class RevocationSequenceTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_lower_sequence_that_commits_later_is_not_skipped()
    {
        var sequence = new RevocationSequence();
        sequence.Start(10, T);
        sequence.Seen(12, T);

        // 11 was taken before 12 but has not committed: a catch-up now must re-read from 10.
        Assert.Equal(10, sequence.CatchUpFrom(T.AddSeconds(1)));

        sequence.Seen(11, T.AddSeconds(2));
        Assert.Equal(12, sequence.CatchUpFrom(T.AddSeconds(2)));
    }

    [Fact]
    public void A_hole_left_by_a_rolled_back_transaction_is_given_up_after_the_timeout()
    {
        var sequence = new RevocationSequence();
        sequence.Start(0, T);
        sequence.Seen(2, T);
        sequence.Seen(3, T);

        Assert.Equal(0, sequence.CatchUpFrom(T + RevocationSequence.HoleTimeout - TimeSpan.FromSeconds(1)));
        Assert.Equal(3, sequence.CatchUpFrom(T + RevocationSequence.HoleTimeout));
    }

    [Fact]
    public void Lines_seen_twice_or_below_the_start_change_nothing()
    {
        var sequence = new RevocationSequence();
        Assert.False(sequence.IsKnown);
        sequence.Seen(5, T);
        sequence.Start(7, T);
        sequence.Seen(7, T);
        sequence.Seen(3, T);
        sequence.Seen(8, T);
        sequence.Seen(8, T);

        Assert.True(sequence.IsKnown);
        Assert.Equal(8, sequence.CatchUpFrom(T));
    }
}

using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Pipeline;

public sealed class CatchUpTrackerTests
{
    private static readonly Dictionary<int, long> Ends = new() { [0] = 100, [1] = 50, [2] = 0 };

    [Fact]
    public void A_run_is_caught_up_once_every_assigned_partition_with_records_is_read_to_its_end()
    {
        var tracker = new CatchUpTracker(Ends);
        Assert.False(tracker.IsCaughtUp([]));
        tracker.Reached(0, 100);
        Assert.False(tracker.IsCaughtUp([0, 1, 2]));
        tracker.Reached(1, 40);
        tracker.Reached(1, 30); // an older position never takes one back
        Assert.False(tracker.IsCaughtUp([0, 1, 2]));
        tracker.Reached(1, 50);
        Assert.True(tracker.IsCaughtUp([0, 1, 2]));
    }

    [Fact]
    public void A_partition_taken_away_and_given_back_is_caught_up_only_once_read_again_to_its_end()
    {
        // Its records after the last commit were read before it was lost; its next task reads them again from that
        // commit, and the run must not end before they are applied.
        var tracker = new CatchUpTracker(Ends);
        tracker.Reached(0, 100);
        tracker.Reached(1, 50);

        tracker.Forget([0]);

        Assert.False(tracker.IsCaughtUp([0, 1]));
        tracker.Reached(0, 70); // the committed offset the next task starts from
        Assert.False(tracker.IsCaughtUp([0, 1]));
        tracker.Reached(0, 100);
        Assert.True(tracker.IsCaughtUp([0, 1]));
    }
}

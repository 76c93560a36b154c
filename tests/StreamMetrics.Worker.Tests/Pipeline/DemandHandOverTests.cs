using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Pipeline;

public sealed class DemandHandOverTests
{
    // Continuations run on the thread pool: a bound on a signal already given, not a timing.
    private static readonly TimeSpan Completes = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_revoke_waits_for_the_last_step_of_its_partitions_only_and_takes_no_batch_of_them_after()
    {
        var handOver = new DemandHandOver();
        Assert.True(handOver.TryStart(0, out var first));
        Assert.True(handOver.TryStart(0, out var last));
        Assert.True(handOver.TryStart(1, out var other));

        var leaving = handOver.LeaveAsync([0]);
        first.SetResult();
        Assert.False(leaving.IsCompleted);
        Assert.False(handOver.TryStart(0, out _));
        Assert.True(handOver.TryStart(1, out _));

        last.SetResult();
        await leaving.WaitAsync(Completes);
        Assert.False(other.Task.IsCompleted);
    }

    [Fact]
    public void A_partition_assigned_again_takes_batches_again()
    {
        var handOver = new DemandHandOver();
        Assert.True(handOver.LeaveAsync([2]).IsCompletedSuccessfully);
        Assert.False(handOver.TryStart(2, out _));

        handOver.Assigned([2]);

        Assert.True(handOver.TryStart(2, out _));
    }

    [Fact]
    public async Task A_stop_waits_for_every_partition_then_takes_no_batch_and_a_stream_that_ended_lets_it_go()
    {
        var handOver = new DemandHandOver();
        Assert.True(handOver.TryStart(0, out var zero));
        Assert.True(handOver.TryStart(3, out _));

        var stopped = handOver.StopAsync();
        zero.SetResult();
        Assert.False(stopped.IsCompleted);
        Assert.False(handOver.TryStart(1, out _));

        handOver.Ended();
        await stopped.WaitAsync(Completes);
    }
}

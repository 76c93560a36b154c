using Microsoft.Extensions.Time.Testing;
using StreamMetrics.Worker.Pipeline;

namespace StreamMetrics.Worker.Tests.Pipeline;

public sealed class StallGuardTests
{
    [Fact]
    public void Running_time_follows_the_clock_checked_every_second()
    {
        var time = new FakeTimeProvider();
        var running = new RunningTime(time);

        for (var second = 1; second <= 10; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(TimeSpan.FromSeconds(second), running.Measure());
        }
    }

    [Fact]
    public void A_pause_of_the_whole_process_counts_as_one_check_interval()
    {
        var time = new FakeTimeProvider();
        var running = new RunningTime(time);

        time.Advance(TimeSpan.FromSeconds(3));
        running.Measure();
        // SIGSTOP for 150 s: the next check comes when the process runs again.
        time.Advance(TimeSpan.FromSeconds(150));

        Assert.Equal(TimeSpan.FromSeconds(4), running.Measure());
    }

    [Fact]
    public async Task A_partition_that_never_answers_fails_naming_what_it_was_asked()
    {
        var guard = new StallGuard(TimeSpan.FromSeconds(2), TimeProvider.System);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => guard.WaitAsync(new TaskCompletionSource<int>().Task, () => "partition-3 did not answer Checkpoint"));

        Assert.StartsWith("partition-3 did not answer Checkpoint within StallTimeout 00:00:02", error.Message);
    }

    [Fact]
    public async Task An_answer_passes_through_and_a_partitions_failure_is_not_taken_for_a_stall()
    {
        var guard = new StallGuard(TimeSpan.FromMinutes(2), TimeProvider.System);

        Assert.Equal(42, await guard.WaitAsync(Task.FromResult(42), () => "never asked"));
        await Assert.ThrowsAsync<InvalidDataException>(() => guard.WaitAsync(Task.FromException<int>(new InvalidDataException("bad changelog")), () => "never asked"));
    }
}

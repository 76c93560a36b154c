using StreamMetrics.Bench;

namespace StreamMetrics.Worker.Tests.Bench;

public sealed class SteadyStateTests
{
    [Fact]
    public void The_rate_is_taken_between_the_10_and_90_percent_marks_and_leaves_out_a_slow_start_and_tail()
    {
        var steady = new SteadyState(1_000);
        // A slow start (100 in 5 s), 800 at 100 a second, then a slow end.
        steady.Observe(100, TimeSpan.FromSeconds(5));
        steady.Observe(900, TimeSpan.FromSeconds(13));
        steady.Observe(1_000, TimeSpan.FromSeconds(30));

        Assert.Equal(100, steady.Rate, 9);
        Assert.Equal(TimeSpan.FromSeconds(30), steady.AllDoneAt);
    }

    [Fact]
    public void Marks_passed_in_one_jump_are_placed_by_interpolation()
    {
        var steady = new SteadyState(1_000);
        steady.Observe(1_000, TimeSpan.FromSeconds(10));

        Assert.Equal(100, steady.Rate, 9); // 10 % at 1 s, 90 % at 9 s
        Assert.True(double.IsNaN(new SteadyState(1_000).Rate));
    }

    [Fact]
    public void Bytes_allocated_between_the_marks_are_interpolated_too_when_one_jump_passes_both()
    {
        var steady = new SteadyState(1_000);
        steady.Observe(50, TimeSpan.FromSeconds(1), allocated: 5_000_000);
        steady.Observe(1_000, TimeSpan.FromSeconds(2), allocated: 6_900_000); // 2,000 bytes an item from 50 on

        Assert.Equal(2_000, steady.AllocatedPerItem, 9);
        Assert.True(double.IsNaN(new SteadyState(1_000).AllocatedPerItem));
    }

    [Fact]
    public void Cpu_time_between_the_marks_is_taken_an_item_like_the_bytes()
    {
        var steady = new SteadyState(1_000);
        steady.Observe(100, TimeSpan.FromSeconds(1), cpu: TimeSpan.FromSeconds(3)); // a start that cost 30 ms an item
        steady.Observe(900, TimeSpan.FromSeconds(2), cpu: TimeSpan.FromSeconds(3.008)); // 10 µs an item between the marks
        steady.Observe(1_000, TimeSpan.FromSeconds(9), cpu: TimeSpan.FromSeconds(9));

        Assert.Equal(10, steady.CpuMicrosecondsPerItem, 6);
        Assert.True(double.IsNaN(new SteadyState(1_000).CpuMicrosecondsPerItem));
    }
}
